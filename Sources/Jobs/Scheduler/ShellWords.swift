/// Splits a crontab command into words the way `/bin/sh` would, for the small subset crontab lines use.
///
/// Supports single quotes, double quotes (with `\"`, `\\`, `\$`, `` \` `` escapes) and backslash escapes.
/// A word remembers whether it was written without any quoting, so operators (`&&`, `>`) are told apart
/// from quoted text. Cron's `%` rule is applied first: `\%` becomes `%`, and a bare `%` is rejected.
struct ShellWords {
    /// One word of the command.
    struct Word: Equatable {
        /// The word after quote removal.
        var text: String
        /// No part of the word was quoted or escaped.
        var isBare: Bool
    }

    /// The words.
    let words: [Word]

    /// Splits `command`.
    /// - Throws: ``JobError/Code/invalidCrontab`` for an unterminated quote or a bare `%`.
    init(_ command: String) throws {
        var words: [Word] = []
        var current: Word?
        var iterator = Array(try Self.applyingCronPercentRule(command)).makeIterator()
        func append(_ character: Character, bare: Bool) {
            if current == nil { current = Word(text: "", isBare: true) }
            current?.text.append(character)
            if !bare { current?.isBare = false }
        }
        while let character = iterator.next() {
            switch character {
            case " ", "\t":
                if let word = current { words.append(word) }
                current = nil
            case "\\":
                guard let escaped = iterator.next() else {
                    throw JobError(.invalidCrontab, message: "the command ends with a lone backslash")
                }
                append(escaped, bare: false)
            case "'":
                if current == nil { current = Word(text: "", isBare: false) }
                current?.isBare = false
                var closed = false
                while let inner = iterator.next() {
                    if inner == "'" {
                        closed = true
                        break
                    }
                    append(inner, bare: false)
                }
                guard closed else { throw JobError(.invalidCrontab, message: "unterminated single quote") }
            case "\"":
                if current == nil { current = Word(text: "", isBare: false) }
                current?.isBare = false
                var closed = false
                while let inner = iterator.next() {
                    if inner == "\"" {
                        closed = true
                        break
                    }
                    switch inner {
                    case "$", "`":
                        throw JobError(.invalidCrontab, message: "shell expansion ($ or `) is not supported")
                    case "\\":
                        guard let escaped = iterator.next() else { break }
                        if "\"\\$`".contains(escaped) {
                            append(escaped, bare: false)
                        } else {
                            append("\\", bare: false)
                            append(escaped, bare: false)
                        }
                    default:
                        append(inner, bare: false)
                    }
                }
                guard closed else { throw JobError(.invalidCrontab, message: "unterminated double quote") }
            default:
                append(character, bare: true)
            }
        }
        if let word = current { words.append(word) }
        self.words = words
    }

    /// Cron itself turns `\%` into `%` and cuts the command at the first other `%` (the rest becomes standard
    /// input), quotes or not. We accept the first and reject the second.
    private static func applyingCronPercentRule(_ command: String) throws -> String {
        var result = ""
        var isEscaped = false
        for character in command {
            if isEscaped {
                if character != "%" { result.append("\\") }
                result.append(character)
                isEscaped = false
            } else if character == "\\" {
                isEscaped = true
            } else if character == "%" {
                throw JobError(
                    .invalidCrontab,
                    message: "cron turns a bare % into a newline, even inside quotes; write \\% for a percent sign"
                )
            } else {
                result.append(character)
            }
        }
        if isEscaped { result.append("\\") }
        return result
    }
}
