/// One message of a chat completion conversation (META.md §5).
public struct ChatMessage: Sendable, Hashable, Codable {
    /// `system`, `developer`, `user`, `assistant` or `tool`.
    public var role: ChatRole
    /// The text; `nil` for an assistant message that only calls tools.
    public var content: String?
    /// The tool calls of an assistant message.
    public var toolCalls: [ToolCall]?
    /// For a `tool` message: the id of the call it answers.
    public var toolCallID: String?

    private enum CodingKeys: String, CodingKey {
        case role, content
        case toolCalls = "tool_calls"
        case toolCallID = "tool_call_id"
    }

    /// Creates a message.
    /// - Parameters:
    ///   - role: the author.
    ///   - content: the text.
    ///   - toolCalls: tool calls (assistant only).
    ///   - toolCallID: the answered call (tool only).
    public init(role: ChatRole, content: String?, toolCalls: [ToolCall]? = nil, toolCallID: String? = nil) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
    }

    /// A system message.
    public static func system(_ text: String) -> ChatMessage { ChatMessage(role: .system, content: text) }
    /// A customer's message.
    public static func user(_ text: String) -> ChatMessage { ChatMessage(role: .user, content: text) }
    /// An earlier assistant reply.
    public static func assistant(_ text: String) -> ChatMessage { ChatMessage(role: .assistant, content: text) }
    /// A tool result answering the call `id`.
    public static func tool(id: String, result: String) -> ChatMessage {
        ChatMessage(role: .tool, content: result, toolCallID: id)
    }

    /// Decodes defensively: `content` may be a string, `null`, or an array of `{"type":"text","text":…}` parts.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        role = try container.decode(ChatRole.self, forKey: .role)
        if let text = try? container.decodeIfPresent(String.self, forKey: .content) {
            content = text
        } else if let parts = try? container.decodeIfPresent([JSONValue].self, forKey: .content) {
            content = parts.compactMap { $0["text"]?.stringValue }.joined()
        } else {
            content = nil
        }
        if var list = try? container.nestedUnkeyedContainer(forKey: .toolCalls) {
            var calls: [ToolCall] = []
            while !list.isAtEnd {
                var call = try list.decode(ToolCall.self)
                if call.id.isEmpty { call.id = "call_\(calls.count)" }
                calls.append(call)
            }
            toolCalls = calls.isEmpty ? nil : calls
        } else {
            toolCalls = nil
        }
        toolCallID = try container.decodeIfPresent(String.self, forKey: .toolCallID)
    }

    /// Encodes the wire shape; `content` is written as `null` when absent (required for assistant tool calls).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(role, forKey: .role)
        try container.encode(content, forKey: .content)
        try container.encodeIfPresent(toolCalls, forKey: .toolCalls)
        try container.encodeIfPresent(toolCallID, forKey: .toolCallID)
    }
}

/// A message author role.
public struct ChatRole: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The wire value.
    public let rawValue: String
    /// Creates a role from its wire value.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// `system`
    public static let system = ChatRole(rawValue: "system")
    /// `developer`
    public static let developer = ChatRole(rawValue: "developer")
    /// `user`
    public static let user = ChatRole(rawValue: "user")
    /// `assistant`
    public static let assistant = ChatRole(rawValue: "assistant")
    /// `tool`
    public static let tool = ChatRole(rawValue: "tool")
    /// The wire value.
    public var description: String { rawValue }
}

/// A function call the model asked for.
///
/// Decoded defensively (compatible servers differ): a missing `id` becomes empty (the message assigns
/// `call_<n>`), `arguments` given as a JSON object is re-encoded to the string form.
public struct ToolCall: Sendable, Hashable, Codable {
    /// The call id a `tool` message must echo.
    public var id: String
    /// Always `function`.
    public var type: String
    /// The function name.
    public var name: String
    /// The arguments as JSON text, exactly as the model wrote them (may be invalid JSON).
    public var arguments: String

    private enum CodingKeys: String, CodingKey { case id, type, function }
    private enum FunctionKeys: String, CodingKey { case name, arguments }

    /// Creates a call.
    /// - Parameters:
    ///   - id: the call id.
    ///   - name: the function name.
    ///   - arguments: the arguments JSON text.
    public init(id: String, name: String, arguments: String) {
        self.id = id
        type = "function"
        self.name = name
        self.arguments = arguments
    }

    /// Decodes `{"id","type","function":{"name","arguments"}}` tolerantly.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = (try? container.decodeIfPresent(String.self, forKey: .id)) ?? ""
        type = (try? container.decodeIfPresent(String.self, forKey: .type)) ?? "function"
        let function = try container.nestedContainer(keyedBy: FunctionKeys.self, forKey: .function)
        name = try function.decode(String.self, forKey: .name)
        if let text = try? function.decodeIfPresent(String.self, forKey: .arguments) {
            arguments = text
        } else if let value = try? function.decodeIfPresent(JSONValue.self, forKey: .arguments) {
            arguments = value.jsonString
        } else {
            arguments = "{}"
        }
    }

    /// Encodes the wire shape with `arguments` as a string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(type, forKey: .type)
        var function = container.nestedContainer(keyedBy: FunctionKeys.self, forKey: .function)
        try function.encode(name, forKey: .name)
        try function.encode(arguments, forKey: .arguments)
    }
}
