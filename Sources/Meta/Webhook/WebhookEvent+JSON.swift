import HTTP

extension WebhookEvent {
    /// The event's job-payload JSON: the same members as its `Codable` form (compact keys, nil fields, empty
    /// attachments and false flags left out), written by ``JSONBodyWriter`` in sorted key order instead of
    /// through `JSONEncoder` (a twentieth of `serve`'s CPU per webhook). ``fastDecoded(from:)`` and `init(from:)`
    /// read it.
    public func jsonPayload() -> [UInt8] {
        var json = JSONBodyWriter(capacity: 256 + (text?.utf8.count ?? 0))
        json.raw("{")
        json.key("a")
        json.string(accountID)
        for (name, value) in optionalMembers where name < "at" { comma(&json, name, value) }
        if !attachments.isEmpty {
            json.raw(",")
            json.key("at")
            json.raw("[")
            for (index, attachment) in attachments.enumerated() {
                if index > 0 { json.raw(",") }
                json.raw("{")
                json.key("t")
                json.string(attachment.type)
                if let url = attachment.url {
                    json.raw(",")
                    json.key("u")
                    json.string(url)
                }
                json.raw("}")
            }
            json.raw("]")
        }
        for (name, value) in optionalMembers where name > "at" && name < "echo" { comma(&json, name, value) }
        if isDeleted { comma(&json, "del", true) }
        if isEcho { comma(&json, "echo", true) }
        comma(&json, "id", id)
        comma(&json, "k", kind.rawValue)
        for (name, value) in optionalMembers where name > "k" && name < "p" { comma(&json, name, value) }
        comma(&json, "p", platform.rawValue)
        for (name, value) in optionalMembers where name > "p" && name < "r" { comma(&json, name, value) }
        comma(&json, "r", recipientID)
        for (name, value) in optionalMembers where name > "r" && name < "s" { comma(&json, name, value) }
        comma(&json, "s", senderID)
        json.raw(",")
        json.key("ts")
        json.integer(timestampMs)
        if isUnsupported { comma(&json, "uns", true) }
        for (name, value) in optionalMembers where name > "uns" { comma(&json, name, value) }
        json.raw("}")
        return json.bytes
    }

    /// The optional string members that are set, by key, in key order.
    private var optionalMembers: [(String, String)] {
        let all: [(String, String?)] = [
            ("ad", referralAdID), ("m", mid), ("pp", postbackPayload), ("pt", postbackTitle), ("qr", quickReplyPayload),
            ("ra", reactionAction), ("re", reaction), ("rf", referralRef), ("rfs", referralSource),
            ("rs", replyToStoryID), ("rsu", replyToStoryURL), ("rt", replyToMID), ("x", text),
        ]
        return all.compactMap { name, value in value.map { (name, $0) } }
    }

    private func comma(_ json: inout JSONBodyWriter, _ name: String, _ value: String) {
        json.raw(",")
        json.string(name)
        json.raw(":")
        json.string(value)
    }

    private func comma(_ json: inout JSONBodyWriter, _ name: String, _ flag: Bool) {
        json.raw(",")
        json.string(name)
        json.raw(":")
        json.bool(flag)
    }
}
