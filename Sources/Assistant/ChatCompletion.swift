/// A chat completions request body (META.md §5).
public struct ChatCompletionRequest: Sendable, Encodable {
    /// The model.
    public var model: String
    /// The conversation.
    public var messages: [ChatMessage]
    /// Sampling temperature.
    public var temperature: Double?
    /// Completion token cap.
    public var maxTokens: Int?
    /// Tools the model may call.
    public var tools: [ToolDefinition]?
    /// `auto`, `none`, `required`, or `{"type":"function","function":{"name":…}}`.
    public var toolChoice: JSONValue?

    private enum CodingKeys: String, CodingKey {
        case model, messages, temperature, tools
        case maxTokens = "max_tokens"
        case toolChoice = "tool_choice"
    }

    /// Creates a request.
    /// - Parameters:
    ///   - model: model name.
    ///   - messages: the conversation.
    ///   - temperature: temperature.
    ///   - maxTokens: token cap.
    ///   - tools: tool definitions.
    ///   - toolChoice: tool choice.
    public init(
        model: String, messages: [ChatMessage], temperature: Double? = nil, maxTokens: Int? = nil,
        tools: [ToolDefinition]? = nil, toolChoice: JSONValue? = nil
    ) {
        self.model = model
        self.messages = messages
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.tools = tools
        self.toolChoice = toolChoice
    }
}

/// A tool as the API sees it: `{"type":"function","function":{"name","description","parameters"}}`.
public struct ToolDefinition: Sendable, Hashable, Encodable {
    /// The function name.
    public var name: String
    /// What it does, for the model.
    public var description: String
    /// A JSON Schema of its arguments.
    public var parameters: JSONValue

    private enum CodingKeys: String, CodingKey { case type, function }
    private enum FunctionKeys: String, CodingKey { case name, description, parameters }

    /// Creates a definition.
    /// - Parameters:
    ///   - name: function name.
    ///   - description: description.
    ///   - parameters: JSON Schema.
    public init(name: String, description: String, parameters: JSONValue) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }

    /// Encodes the wire shape.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("function", forKey: .type)
        var function = container.nestedContainer(keyedBy: FunctionKeys.self, forKey: .function)
        try function.encode(name, forKey: .name)
        try function.encode(description, forKey: .description)
        try function.encode(parameters, forKey: .parameters)
    }
}

/// A chat completions response.
public struct ChatCompletionResponse: Sendable, Decodable {
    /// One choice.
    public struct Choice: Sendable, Decodable {
        /// Its index.
        public let index: Int?
        /// `stop`, `tool_calls`, `length`, `content_filter`.
        public let finishReason: String?
        /// The assistant message.
        public let message: ChatMessage

        private enum CodingKeys: String, CodingKey {
            case index, message
            case finishReason = "finish_reason"
        }
    }

    /// The completion id.
    public let id: String?
    /// The model that answered.
    public let model: String?
    /// The choices (we use the first).
    public let choices: [Choice]
    /// Token usage.
    public let usage: TokenUsage?
}

/// Token counts of a completion.
public struct TokenUsage: Sendable, Hashable, Decodable {
    /// Prompt tokens.
    public let promptTokens: Int
    /// Completion tokens.
    public let completionTokens: Int
    /// Total tokens.
    public let totalTokens: Int

    private enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
    }

    /// Creates counts.
    /// - Parameters:
    ///   - promptTokens: prompt tokens.
    ///   - completionTokens: completion tokens.
    ///   - totalTokens: total.
    public init(promptTokens: Int, completionTokens: Int, totalTokens: Int) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = totalTokens
    }

    /// Decodes, treating missing counts as 0.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        promptTokens = (try? container.decodeIfPresent(Int.self, forKey: .promptTokens)) ?? 0
        completionTokens = (try? container.decodeIfPresent(Int.self, forKey: .completionTokens)) ?? 0
        totalTokens = (try? container.decodeIfPresent(Int.self, forKey: .totalTokens)) ?? 0
    }
}
