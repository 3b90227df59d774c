import Testing

@testable import Meta

@Suite struct GraphMessageSplitterTests {
    @Test("short text is one part; blank text is none")
    func short() {
        #expect(MessageSplitter.split("Hello!") == ["Hello!"])
        #expect(MessageSplitter.split("  \n ").isEmpty)
    }

    @Test("long text splits at sentence ends into parts of at most 1000 bytes")
    func sentences() {
        let sentence = "This is sentence number one of a fairly long answer. "
        let text = String(repeating: sentence, count: 60)
        let parts = MessageSplitter.split(text)
        #expect(parts.count > 1)
        for part in parts {
            #expect(part.utf8.count <= 1000)
            #expect(part.hasSuffix("."))
        }
        #expect(parts.joined(separator: " ") == text.trimmingCharacters(in: " "))
    }

    @Test("multi-byte text never splits a character and stays within the byte limit")
    func multibyte() {
        let text = String(repeating: "Привет 👋🏽 мир ", count: 200)
        let parts = MessageSplitter.split(text, maxBytes: 1000)
        #expect(parts.count > 1)
        for part in parts {
            #expect(part.utf8.count <= 1000)
            #expect(!part.hasPrefix(" "))
        }
        #expect(parts.joined(separator: " ").split(separator: " ") == text.split(separator: " "))
    }

    @Test("a word longer than the limit is cut at a character boundary")
    func longWord() {
        let text = String(repeating: "é", count: 1500)
        let parts = MessageSplitter.split(text)
        #expect(parts.map(\.utf8.count) == [1000, 1000, 1000])
        #expect(parts.joined() == text)
    }

    @Test("paragraph breaks are preferred over sentence ends")
    func paragraphs() {
        let first = String(repeating: "a", count: 600) + ". More text here.\n\n"
        let second = String(repeating: "b", count: 600)
        let parts = MessageSplitter.split(first + second)
        #expect(parts.count == 2)
        #expect(parts[0].hasSuffix("More text here."))
        #expect(parts[1] == second)
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}
