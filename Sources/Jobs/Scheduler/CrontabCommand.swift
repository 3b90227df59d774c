internal import Foundation

/// Reads the command part of a crontab line: which job it enqueues, and with which payload.
///
/// Accepted, in this order:
/// - an optional user name (system crontabs such as `/etc/cron.d/woodstock` have one);
/// - any number of `cd DIR &&` prefixes and `NAME=value` environment assignments;
/// - the executable: `woodstock` or any path ending in `/woodstock`;
/// - `enqueue JOB`, then the options `--payload JSON` (or `--payload=JSON`; a JSON object, default `{}`)
///   and `--scheduled`;
/// - output redirections at the end: `>file`, `>> file`, `2>&1`, `2>/dev/null`, `&>file`.
///
/// Anything else (pipes, `;`, `||`, other commands, other options, `$` expansions) is rejected with a
/// reason, because the scheduler could not do what system cron would do with it.
struct CrontabCommand {
    let jobName: String
    let payloadJSON: [UInt8]
    let usesScheduledKey: Bool

    init(parsing command: String) throws {
        var words = try ShellWords(command).words[...]
        func fail(_ reason: String) -> JobError { JobError(.invalidCrontab, message: reason) }
        for word in words where word.isBare && (word.text.contains("$") || word.text.contains("`")) {
            throw fail("shell expansion ($ or `) is not supported: '\(word.text)'")
        }
        for word in words where word.isBare && (word.text.contains(";") || word.text.contains("|") || word.text == "&")
        {
            throw fail("only one 'woodstock enqueue' command per line ('\(word.text)' is not supported)")
        }
        if let first = words.first, let second = words.dropFirst().first, first.isBare,
            Self.isUserName(first.text), second.text == "cd" || Self.isExecutable(second.text)
        {
            words.removeFirst()
        }
        while let first = words.first {
            if first.isBare, first.text == "cd" {
                let rest = words.dropFirst()
                guard rest.count >= 2, rest[rest.startIndex + 1] == ShellWords.Word(text: "&&", isBare: true) else {
                    throw fail("'cd DIR' must be followed by '&&'")
                }
                words = rest.dropFirst(2)
            } else if first.isBare, Self.isAssignment(first.text) {
                words.removeFirst()
            } else {
                break
            }
        }
        guard let executable = words.popFirst(), Self.isExecutable(executable.text) else {
            throw fail("the command must run 'woodstock enqueue JOB [--payload JSON]'")
        }
        guard words.popFirst()?.text == "enqueue" else {
            throw fail("only 'woodstock enqueue' can be scheduled")
        }
        guard let name = words.popFirst(), !name.text.hasPrefix("-") else {
            throw fail("'woodstock enqueue' needs a job name")
        }
        var payload = "{}"
        var usesScheduledKey = false
        var hasRedirection = false
        while let word = words.popFirst() {
            if word.isBare, Self.isRedirection(word.text) {
                let operatorText = word.text.drop(while: { $0.isASCII && $0.isNumber })
                if ["<", ">", ">>", "&>", "&>>"].contains(operatorText) {
                    guard words.popFirst() != nil else { throw fail("redirection '\(word.text)' needs a target") }
                }
                hasRedirection = true
                continue
            }
            guard !hasRedirection else {
                throw fail("'\(word.text)' after a redirection (put redirections at the end)")
            }
            if word.isBare,
                ["&&", "||", ";", "|", "&"].contains(word.text) || word.text.contains(";")
                    || word.text.contains("|")
            {
                throw fail("only one 'woodstock enqueue' command per line ('\(word.text)' is not supported)")
            }
            switch word.text {
            case "--payload":
                guard let value = words.popFirst() else { throw fail("--payload needs a JSON object") }
                payload = value.text
            case let text where text.hasPrefix("--payload="):
                payload = String(text.dropFirst("--payload=".count))
            case "--scheduled":
                usesScheduledKey = true
            default:
                throw fail("unsupported argument '\(word.text)' (crontab lines accept --payload JSON and --scheduled)")
            }
        }
        guard CatalogFileParser.isValidName(name.text, allowing: "_-") else {
            throw fail("'\(name.text)' is not a job name (lowercase letters, digits, '_' or '-')")
        }
        let isObject = (try? JSONSerialization.jsonObject(with: Data(payload.utf8))) is [String: Any]
        guard isObject else { throw fail("--payload for \(name.text) must be a JSON object, e.g. '{}'") }
        self.jobName = name.text
        self.payloadJSON = Array(payload.utf8)
        self.usesScheduledKey = usesScheduledKey
    }

    private static func isExecutable(_ text: String) -> Bool {
        text == "woodstock" || text.hasSuffix("/woodstock")
    }

    private static func isUserName(_ text: String) -> Bool {
        text != "cd" && !isAssignment(text) && CatalogFileParser.isValidName(text, allowing: "_-")
    }

    private static func isAssignment(_ text: String) -> Bool {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else { return false }
        let name = text[..<equals]
        return name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
            && !(name.first?.isNumber ?? true)
    }

    private static func isRedirection(_ text: String) -> Bool {
        let operatorText = text.drop(while: { $0.isASCII && $0.isNumber })
        return operatorText.hasPrefix(">") || operatorText.hasPrefix("&>") || operatorText.hasPrefix("<")
    }
}
