import HTTP

extension ChatCompletionRequest {
    /// The request body as compact JSON with sorted keys: exactly what `JSONEncoder` with
    /// `[.sortedKeys, .withoutEscapingSlashes]` writes for this value, at a fraction of its cost, and the same in
    /// every process (so the provider's prompt cache sees a stable prefix).
    /// - Returns: the JSON bytes.
    /// - Throws: ``JSONBodyWriter/NonConformingNumber`` for a NaN or infinite number (temperature or a schema).
    public func jsonBytes() throws -> [UInt8] {
        var json = JSONBodyWriter(capacity: 1024)
        json.raw("{")
        if let maxTokens {
            json.key("max_tokens")
            json.integer(maxTokens)
            json.raw(",")
        }
        json.key("messages")
        json.raw("[")
        for (index, message) in messages.enumerated() {
            if index > 0 { json.raw(",") }
            message.write(to: &json)
        }
        json.raw("],")
        json.key("model")
        json.string(model)
        if let temperature {
            json.raw(",")
            json.key("temperature")
            try json.double(temperature)
        }
        if let toolChoice {
            json.raw(",")
            json.key("tool_choice")
            try json.value(toolChoice)
        }
        if let tools {
            json.raw(",")
            json.key("tools")
            json.raw("[")
            for (index, tool) in tools.enumerated() {
                if index > 0 { json.raw(",") }
                try tool.write(to: &json)
            }
            json.raw("]")
        }
        json.raw("}")
        return json.bytes
    }
}

extension ChatMessage {
    /// `{"content","role","tool_call_id"?,"tool_calls"?}`, `content` as `null` when absent.
    func write(to json: inout JSONBodyWriter) {
        json.raw("{")
        json.key("content")
        if let content { json.string(content) } else { json.raw("null") }
        json.raw(",")
        json.key("role")
        json.string(role.rawValue)
        if let toolCallID {
            json.raw(",")
            json.key("tool_call_id")
            json.string(toolCallID)
        }
        if let toolCalls {
            json.raw(",")
            json.key("tool_calls")
            json.raw("[")
            for (index, call) in toolCalls.enumerated() {
                if index > 0 { json.raw(",") }
                call.write(to: &json)
            }
            json.raw("]")
        }
        json.raw("}")
    }
}

extension ToolCall {
    /// `{"function":{"arguments","name"},"id","type"}`.
    func write(to json: inout JSONBodyWriter) {
        json.raw("{")
        json.key("function")
        json.raw("{")
        json.key("arguments")
        json.string(arguments)
        json.raw(",")
        json.key("name")
        json.string(name)
        json.raw("},")
        json.key("id")
        json.string(id)
        json.raw(",")
        json.key("type")
        json.string(type)
        json.raw("}")
    }
}

extension ToolDefinition {
    /// `{"function":{"description","name","parameters"},"type":"function"}`.
    func write(to json: inout JSONBodyWriter) throws {
        json.raw("{")
        json.key("function")
        json.raw("{")
        json.key("description")
        json.string(description)
        json.raw(",")
        json.key("name")
        json.string(name)
        json.raw(",")
        json.key("parameters")
        try json.value(parameters)
        json.raw("},")
        json.key("type")
        json.raw("\"function\"}")
    }
}

extension JSONBodyWriter {
    /// Appends any JSON value, object members in sorted key order, numbers as ``JSONValue`` encodes them.
    /// - Throws: ``JSONBodyWriter/NonConformingNumber`` for NaN and infinity.
    mutating func value(_ value: JSONValue) throws {
        switch value {
        case .null: raw("null")
        case .bool(let flag): bool(flag)
        case .number(let number):
            if number == number.rounded(), abs(number) < 1e15 {
                integer(Int64(number))
            } else {
                try double(number)
            }
        case .string(let text): string(text)
        case .array(let elements):
            raw("[")
            for (index, element) in elements.enumerated() {
                if index > 0 { raw(",") }
                try self.value(element)
            }
            raw("]")
        case .object(let members):
            raw("{")
            for (index, name) in members.keys.sorted().enumerated() {
                if index > 0 { raw(",") }
                string(name)
                raw(":")
                if let member = members[name] { try self.value(member) }
            }
            raw("}")
        }
    }
}
