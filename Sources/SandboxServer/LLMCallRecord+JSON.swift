extension LLMCallRecord {
    /// The record as `JSONEncoder` encodes it (nil members left out), for ``JSONWriter``.
    var jsonValue: JSONValue {
        var members: [String: JSONValue] = [
            "seq": .number(Double(seq)), "message_count": .number(Double(messageCount)),
            "tools": .array(tools.map { .string($0) }), "outcome": .string(outcome), "key_id": .string(keyID),
            "time_ms": .number(Double(timeMs)),
        ]
        members["model"] = model.map { .string($0) }
        members["system"] = system.map { .string($0) }
        members["last_user"] = lastUser.map { .string($0) }
        members["last_role"] = lastRole.map { .string($0) }
        members["tool_called"] = toolCalled.map { .string($0) }
        members["reply"] = reply.map { .string($0) }
        return .object(members)
    }
}
