import HTTP

extension WebhookEvent {
    /// The event read from its job-payload JSON (the compact keys of its `Codable` form) by ``JSONBodyValue``,
    /// exactly as `init(from:)` reads it; `nil` when a member has a type `init(from:)` would refuse (or the text is
    /// not one ``JSONBodyValue/parse(_:)`` takes), so the caller falls back to `JSONDecoder` and its errors.
    ///
    /// For the worker's job registry: `extension WebhookEvent: JobPayloadDecoding` in a module that sees both.
    /// - Parameter bytes: the JSON the event was encoded to.
    /// - Returns: the event, or `nil` to fall back.
    public static func fastDecoded(from bytes: [UInt8]) -> WebhookEvent? {
        guard let members = GraphField.members(bytes), case .string(let id)? = members["id"],
            case .string(let platform)? = members["p"], case .string(let accountID)? = members["a"],
            case .string(let senderID)? = members["s"], case .string(let recipientID)? = members["r"],
            case .integer(let timestamp)? = members["ts"], case .string(let kind)? = members["k"],
            let attachments = fastAttachments(members["at"]), let isEcho = JSONBodyValue.optionalBool(members["echo"]),
            let isDeleted = JSONBodyValue.optionalBool(members["del"]),
            let isUnsupported = JSONBodyValue.optionalBool(members["uns"])
        else { return nil }
        var optional: [String: String] = [:]
        for key in ["m", "x", "qr", "rt", "rs", "rsu", "ra", "re", "pt", "pp", "rf", "rfs", "ad"] {
            guard let value = JSONBodyValue.optionalString(members[key]) else { return nil }
            if let value { optional[key] = value }
        }
        var event = WebhookEvent(
            id: id, platform: MessagingPlatform(rawValue: platform), accountID: accountID, senderID: senderID,
            recipientID: recipientID, timestampMs: Int64(timestamp), kind: WebhookEventKind(rawValue: kind),
            mid: optional["m"], text: optional["x"], attachments: attachments, isEcho: isEcho ?? false,
            isDeleted: isDeleted ?? false, isUnsupported: isUnsupported ?? false)
        event.quickReplyPayload = optional["qr"]
        event.replyToMID = optional["rt"]
        event.replyToStoryID = optional["rs"]
        event.replyToStoryURL = optional["rsu"]
        event.reactionAction = optional["ra"]
        event.reaction = optional["re"]
        event.postbackTitle = optional["pt"]
        event.postbackPayload = optional["pp"]
        event.referralRef = optional["rf"]
        event.referralSource = optional["rfs"]
        event.referralAdID = optional["ad"]
        return event
    }

    /// `at` as `decodeIfPresent([WebhookAttachment].self) ?? []` reads it; `nil` where that would throw.
    private static func fastAttachments(_ value: JSONBodyValue?) -> [WebhookAttachment]? {
        switch value {
        case nil, .null?: return []
        case .array(let elements)?:
            var attachments: [WebhookAttachment] = []
            for element in elements {
                guard case .object(let members) = element, case .string(let type)? = members["t"],
                    let url = JSONBodyValue.optionalString(members["u"])
                else { return nil }
                attachments.append(WebhookAttachment(type: type, url: url))
            }
            return attachments
        default: return nil
        }
    }
}
