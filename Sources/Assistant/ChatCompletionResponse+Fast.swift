import HTTP

extension ChatCompletionResponse {
    /// The response read from a ``JSONBodyValue`` when it has the common shape (text answers, no tool calls, no
    /// content parts, integer counts); `nil` otherwise, and the caller decodes with `JSONDecoder`. Where it answers,
    /// it answers exactly as the `Decodable` conformances do (same defaults, same leniency).
    /// - Parameter body: the response body.
    /// - Returns: the response, or `nil` to fall back.
    static func fastDecoded(from body: [UInt8]) -> ChatCompletionResponse? {
        guard case .object(let root)? = JSONBodyValue.parse(body),
            let id = JSONBodyValue.optionalString(root["id"]), let model = JSONBodyValue.optionalString(root["model"]),
            case .array(let rawChoices)? = root["choices"], let usage = fastUsage(root["usage"])
        else { return nil }
        var choices: [Choice] = []
        choices.reserveCapacity(rawChoices.count)
        for raw in rawChoices {
            guard case .object(let choice) = raw, let index = JSONBodyValue.optionalInt(choice["index"]),
                let finishReason = JSONBodyValue.optionalString(choice["finish_reason"]),
                case .object(let message)? = choice["message"], let decoded = fastMessage(message)
            else { return nil }
            choices.append(Choice(index: index, finishReason: finishReason, message: decoded))
        }
        return ChatCompletionResponse(id: id, model: model, choices: choices, usage: usage)
    }

    /// `TokenUsage?` as its lenient `init(from:)` reads it: a count that is missing, `null` or not a number is 0.
    private static func fastUsage(_ value: JSONBodyValue?) -> TokenUsage?? {
        switch value {
        case nil, .null?: return .some(nil)
        case .object(let counts)?:
            func count(_ key: String) -> Int? {
                switch counts[key] {
                case .integer(let value)?: return value
                case .number?: return nil
                default: return 0
                }
            }
            guard let prompt = count("prompt_tokens"), let completion = count("completion_tokens"),
                let total = count("total_tokens")
            else { return nil }
            return .some(TokenUsage(promptTokens: prompt, completionTokens: completion, totalTokens: total))
        default: return nil
        }
    }

    /// A message without tool calls or content parts, as `ChatMessage.init(from:)` reads it.
    private static func fastMessage(_ message: [String: JSONBodyValue]) -> ChatMessage? {
        guard case .string(let role)? = message["role"],
            let toolCallID = JSONBodyValue.optionalString(message["tool_call_id"])
        else { return nil }
        if case .array? = message["tool_calls"] { return nil }
        let content: String?
        switch message["content"] {
        case .string(let text)?: content = text
        case .array?: return nil
        default: content = nil
        }
        return ChatMessage(role: ChatRole(rawValue: role), content: content, toolCallID: toolCallID)
    }
}
