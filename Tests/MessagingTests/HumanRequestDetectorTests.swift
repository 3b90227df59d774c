import Testing

@testable import Messaging

@Suite struct HumanRequestDetectorTests {
    @Test(
        "explicit requests for a person are recognised",
        arguments: [
            "Can I talk to a human?", "I want a real person please", "connect me with a live agent",
            "Kann ich mit einem Mitarbeiter sprechen?",
        ])
    func recognised(_ text: String) {
        #expect(HumanRequestDetector().asksForHuman(text))
    }

    @Test(
        "ordinary messages are not",
        arguments: [
            "What is the price of the blue mug?", "I love humanity", "do you ship to Riga?",
            "I want a refund",
        ])
    func ignored(_ text: String) {
        #expect(!HumanRequestDetector().asksForHuman(text))
    }
}
