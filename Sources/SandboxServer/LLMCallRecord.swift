/// One chat-completions call the sandbox received, as `GET /_sandbox/llm-calls` lists it.
struct LLMCallRecord: Codable, Sendable {
    /// Position in the recording.
    var seq: Int
    /// The `model` requested.
    var model: String?
    /// How many messages the request carried.
    var messageCount: Int
    /// The system prompt (the persona), if any.
    var system: String?
    /// The content of the last user message, if any.
    var lastUser: String?
    /// The role of the last message (`user`, `tool`, ...).
    var lastRole: String?
    /// The names of the tools offered.
    var tools: [String]
    /// What the sandbox answered: `stop`, `tool_calls`, or `error:<status>`.
    var outcome: String
    /// The tool called, when `outcome` is `tool_calls`.
    var toolCalled: String?
    /// The reply text, when `outcome` is `stop`.
    var reply: String?
    /// A short fingerprint of the API key used.
    var keyID: String
    /// When the call was received, epoch milliseconds.
    var timeMs: Int64

    enum CodingKeys: String, CodingKey {
        case seq, model
        case messageCount = "message_count"
        case system
        case lastUser = "last_user"
        case lastRole = "last_role"
        case tools, outcome
        case toolCalled = "tool_called"
        case reply
        case keyID = "key_id"
        case timeMs = "time_ms"
    }
}
