/// Splits a long reply into messages that fit Instagram's send limit (1000 UTF-8 bytes, META.md §3), preferring
/// paragraph, then sentence, then word boundaries, and never cutting a character in half.
public enum MessageSplitter {
    /// Instagram's limit on `message.text`, in UTF-8 bytes.
    public static let instagramTextLimit = 1000

    /// Splits `text` into trimmed parts of at most `maxBytes` UTF-8 bytes each.
    /// - Parameters:
    ///   - text: the reply.
    ///   - maxBytes: the per-message limit; 1000 by default.
    /// - Returns: the parts in order; empty for blank text.
    public static func split(_ text: String, maxBytes: Int = instagramTextLimit) -> [String] {
        var parts: [String] = []
        var rest = Substring(text).trimmed
        while !rest.isEmpty {
            if rest.utf8.count <= maxBytes {
                parts.append(String(rest))
                break
            }
            let window = prefix(of: rest, maxBytes: maxBytes)
            let cut = boundary(in: window) ?? window.endIndex
            let piece = rest[..<cut].trimmed
            if !piece.isEmpty { parts.append(String(piece)) }
            rest = rest[cut...].trimmed
        }
        return parts
    }

    /// The longest prefix of whole characters within `maxBytes` (at least one character).
    private static func prefix(of text: Substring, maxBytes: Int) -> Substring {
        var bytes = 0
        var end = text.startIndex
        for index in text.indices {
            let size = text[index].utf8.count
            if bytes + size > maxBytes { break }
            bytes += size
            end = text.index(after: index)
        }
        return end == text.startIndex ? text.prefix(1) : text[..<end]
    }

    /// The best place to cut inside `window`: after a paragraph break, a sentence end, or a space — as long as
    /// that keeps at least a third of the window, so parts are not tiny.
    private static func boundary(in window: Substring) -> Substring.Index? {
        let minimum = window.utf8.count / 3
        func acceptable(_ index: Substring.Index) -> Bool {
            window.utf8.distance(from: window.startIndex, to: index) >= minimum
        }
        var sentence: Substring.Index?
        var space: Substring.Index?
        var paragraph: Substring.Index?
        var index = window.startIndex
        while index < window.endIndex {
            let character = window[index]
            let next = window.index(after: index)
            if character == "\n" || character == "\r\n" {
                if next < window.endIndex, window[next].isNewline { paragraph = next }
                sentence = next
            } else if character == " " {
                let previous = index > window.startIndex ? window[window.index(before: index)] : " "
                if ".!?…".contains(previous) { sentence = next }
                space = next
            }
            index = next
        }
        for candidate in [paragraph, sentence, space] {
            if let candidate, acceptable(candidate) { return candidate }
        }
        return nil
    }
}

extension Substring {
    fileprivate var trimmed: Substring {
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return self[endIndex...] }
        guard let last = lastIndex(where: { !isSpace($0) }) else { return self[endIndex...] }
        return self[first...last]
    }
}
