extension SentRecord {
    /// The record as `JSONEncoder` encodes it (nil members left out), for ``JSONWriter``.
    var jsonValue: JSONValue {
        var members: [String: JSONValue] = [
            "seq": .number(Double(seq)), "message_id": .string(messageID), "account": .string(account),
            "recipient": .string(recipient), "token_id": .string(tokenID), "time_ms": .number(Double(timeMs)),
        ]
        members["api_version"] = apiVersion.map { .string($0) }
        members["text"] = text.map { .string($0) }
        members["attachment_type"] = attachmentType.map { .string($0) }
        members["attachment_url"] = attachmentURL.map { .string($0) }
        members["quick_replies"] = quickReplies.map { .array($0.map { .string($0) }) }
        members["messaging_type"] = messagingType.map { .string($0) }
        members["tag"] = tag.map { .string($0) }
        members["sender_action"] = senderAction.map { .string($0) }
        members["token_user_id"] = tokenUserID.map { .string($0) }
        return .object(members)
    }
}
