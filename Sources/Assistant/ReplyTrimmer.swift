/// Cuts a reply to a byte budget at a sentence end, else a word end, never inside a character.
enum ReplyTrimmer {
    static func trim(_ text: String, maxBytes: Int) -> String {
        guard text.utf8.count > maxBytes else { return text }
        let ellipsis = "…"
        let budget = maxBytes - ellipsis.utf8.count
        var bytes = 0
        var end = text.startIndex
        var sentenceEnd: String.Index?
        var wordEnd: String.Index?
        for index in text.indices {
            let character = text[index]
            let size = character.utf8.count
            if bytes + size > budget { break }
            bytes += size
            end = text.index(after: index)
            if ".!?".contains(character) { sentenceEnd = end }
            if character.isWhitespace { wordEnd = index }
        }
        let minimum = text.utf8.index(text.startIndex, offsetBy: budget / 2, limitedBy: text.endIndex) ?? end
        if let sentenceEnd, sentenceEnd >= minimum { return String(text[..<sentenceEnd]) }
        let cut = wordEnd.flatMap { $0 >= minimum ? $0 : nil } ?? end
        return String(text[..<cut]).trimmingWhitespace + ellipsis
    }
}
