import Foundation

extension SandboxServer {
    /// The deterministic way to make the sandbox model call any offered tool (a tenant's own tools included):
    /// user text containing `use tool <name>` where `<name>` is offered → a call to it. The arguments are the
    /// JSON object that follows the name (`use tool lookup_order {"order":"A-17"}`), else
    /// `{"query": "<the rest of the text>"}`.
    /// - Parameters:
    ///   - text: the last user message.
    ///   - offered: the names of the offered tools.
    /// - Returns: the call, or `nil` when the text names no offered tool.
    static func namedToolCall(_ text: String, offered: [String]) -> (name: String, arguments: String)? {
        guard let range = text.range(of: "use tool ", options: .caseInsensitive) else { return nil }
        let rest = text[range.upperBound...]
        let name = String(rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" })
        guard !name.isEmpty, offered.contains(name) else { return nil }
        let after = rest.dropFirst(name.count).trimmingCharacters(in: .whitespacesAndNewlines)
        if after.hasPrefix("{"), case .object = JSONValue.parse(Array(after.utf8)) { return (name, after) }
        return (name, jsonString(["query": after]))
    }
}
