import Testing

@testable import Messaging

@Suite struct ReplySplitterTests {
    @Test("a short reply is one part")
    func short() {
        #expect(ReplySplitter().split("  Hello there!  ") == ["Hello there!"])
        #expect(ReplySplitter().split(" \n ").isEmpty)
    }

    @Test("a long reply is cut at sentence boundaries, each part ≤ 1000 UTF-8 bytes")
    func sentences() {
        let text = String(repeating: "This is a very long answer. ", count: 90)
        let parts = ReplySplitter().split(text)
        #expect(parts.count == 3)
        #expect(parts.allSatisfy { $0.utf8.count <= 1_000 && $0.hasSuffix(".") })
        #expect(parts.joined(separator: " ") == String(Substring(text).trimmingWhitespace()))
    }

    @Test("multi-byte graphemes are never cut", arguments: ["é", "👩‍👩‍👧‍👦", "日本"])
    func graphemes(_ unit: String) {
        let text = String(repeating: unit, count: 600)
        let parts = ReplySplitter(maximumBytes: 1_000, maximumParts: 100).split(text)
        #expect(parts.allSatisfy { $0.utf8.count <= 1_000 })
        #expect(parts.joined() == text)
    }

    @Test("a runaway reply is capped at the part limit")
    func capped() {
        let parts = ReplySplitter(maximumBytes: 100, maximumParts: 2).split(String(repeating: "word ", count: 500))
        #expect(parts.count == 2)
    }
}
