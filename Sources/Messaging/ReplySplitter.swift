/// Splits a reply into parts that each fit Instagram's send limit (1000 UTF-8 bytes per message).
///
/// Cuts at the last paragraph, sentence or word boundary that fits, and never inside a grapheme cluster
/// (an emoji or an accented letter stays whole). Each part is trimmed of surrounding whitespace; empty
/// parts are dropped.
public struct ReplySplitter: Sendable {
    /// The most UTF-8 bytes one part may have.
    public let maximumBytes: Int
    /// The most parts a reply is split into; the rest is cut (a runaway model must not flood a customer).
    public let maximumParts: Int

    /// Creates a splitter.
    /// - Parameters:
    ///   - maximumBytes: Bytes per part (default 1000, Meta's limit).
    ///   - maximumParts: Parts per reply (default 4).
    public init(maximumBytes: Int = 1_000, maximumParts: Int = 4) {
        self.maximumBytes = max(8, maximumBytes)
        self.maximumParts = max(1, maximumParts)
    }

    /// Splits `text` into parts of at most ``maximumBytes`` UTF-8 bytes.
    /// - Returns: The parts, in order; empty when `text` is only whitespace.
    public func split(_ text: String) -> [String] {
        var parts: [String] = []
        var rest = Substring(text).trimmingWhitespace()
        while !rest.isEmpty, parts.count < maximumParts {
            if rest.utf8.count <= maximumBytes {
                parts.append(String(rest))
                break
            }
            let cut = cutIndex(in: rest)
            let part = rest[..<cut].trimmingWhitespace()
            if !part.isEmpty { parts.append(String(part)) }
            rest = rest[cut...].trimmingWhitespace()
        }
        return parts
    }

    /// The index after which to cut: the best boundary within the byte budget.
    private func cutIndex(in text: Substring) -> Substring.Index {
        var bytes = 0
        var lastFit = text.startIndex
        var paragraph: Substring.Index?
        var sentence: Substring.Index?
        var word: Substring.Index?
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let size = character.utf8.count
            if bytes + size > maximumBytes { break }
            bytes += size
            let next = text.index(after: index)
            lastFit = next
            if character == "\n" && index > text.startIndex && text[text.index(before: index)] == "\n" {
                paragraph = next
            } else if character == " " || character == "\n" {
                if index > text.startIndex, ".!?…".contains(text[text.index(before: index)]) { sentence = next }
                word = next
            }
            index = next
        }
        // Prefer a boundary in the second half of the budget; otherwise fill the part.
        for candidate in [paragraph, sentence, word] {
            if let candidate, text.utf8.distance(from: text.startIndex, to: candidate) >= maximumBytes / 2 {
                return candidate
            }
        }
        if lastFit == text.startIndex { return text.index(after: text.startIndex) }  // a single huge grapheme
        return lastFit
    }
}

extension Substring {
    /// The substring without leading and trailing whitespace and newlines.
    func trimmingWhitespace() -> Substring {
        var start = startIndex
        var end = endIndex
        while start < end, self[start].isWhitespace { start = index(after: start) }
        while end > start, self[index(before: end)].isWhitespace { end = index(before: end) }
        return self[start..<end]
    }
}
