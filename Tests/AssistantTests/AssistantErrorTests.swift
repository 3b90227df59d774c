import Testing

@testable import Assistant

@Suite struct AssistantErrorTests {
    @Test("error description names the code and context")
    func describesCode() {
        let error = AssistantError(.transport, message: "context")
        #expect(error.description == "AssistantError.transport: context")
    }
}
