import Foundation

/// Recognises a customer who explicitly asks for a person ("can I talk to a human?"), for tiers whose
/// assistant has no `handover_to_human` tool to decide it by itself.
///
/// Deliberately narrow: a phrase must name a person *and* the wish to reach one, so "humanity" or
/// "my agent sent me" do not pause the assistant.
public struct HumanRequestDetector: Sendable {
    /// Words that name a person on the business's side.
    public var personWords: [String]
    /// Phrases that express the wish to reach someone.
    public var requestPhrases: [String]

    /// Creates a detector with English and German defaults.
    public init(
        personWords: [String] = [
            "human", "person", "real agent", "live agent", "someone real", "mensch", "mitarbeiter",
        ],
        requestPhrases: [String] = [
            "talk to", "speak to", "speak with", "talk with", "chat with", "connect me", "want a", "need a",
            "get me a", "is there a", "can i have a", "sprechen", "reden",
        ]
    ) {
        self.personWords = personWords
        self.requestPhrases = requestPhrases
    }

    /// Whether `text` asks for a person.
    public func asksForHuman(_ text: String) -> Bool {
        let lower = text.lowercased()
        let words = lower.split(whereSeparator: { !$0.isLetter && $0 != " " }).joined(separator: " ")
        let mentionsPerson = personWords.contains { word in
            Self.containsWord(word, in: words)
        }
        guard mentionsPerson else { return false }
        return requestPhrases.contains { words.contains($0) }
    }

    private static func containsWord(_ word: String, in text: String) -> Bool {
        var searchRange = text.startIndex..<text.endIndex
        while let range = text.range(of: word, range: searchRange) {
            let before = range.lowerBound == text.startIndex || !text[text.index(before: range.lowerBound)].isLetter
            let after = range.upperBound == text.endIndex || !text[range.upperBound].isLetter
            if before && after { return true }
            searchRange = range.upperBound..<text.endIndex
        }
        return false
    }
}
