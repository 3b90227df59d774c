import HTTP

/// The webhook JSON as Meta sends it, read leniently from a `JSONBodyValue` tree: every field optional, a field
/// of the wrong type is treated as absent, a malformed array element is skipped, unknown fields are ignored.
struct RawWebhook {
    var object: String?
    var entry: [RawEntry]

    /// Nil when the delivery is not a JSON object.
    init?(_ json: JSONBodyValue) {
        guard json.members != nil else { return nil }
        if case .string(let text) = json["object"] { object = text }
        entry = (json["entry"]?.elements ?? []).compactMap(RawEntry.init)
    }
}

struct RawEntry {
    var id: String?
    var time: Int64?
    var messaging: [RawMessaging]
    var changeCount: Int

    /// Nil when the element is not an object (skipped, like any malformed element).
    init?(_ json: JSONBodyValue) {
        guard json.members != nil else { return nil }
        id = json["id"]?.lenientString
        time = json["time"]?.lenientInt
        messaging = (json["messaging"]?.elements ?? []).compactMap(RawMessaging.init)
        changeCount = json["changes"]?.elements?.count ?? 0
    }
}

struct RawMessaging {
    var senderID: String?
    var recipientID: String?
    var timestamp: Int64?
    var message: RawMessage?
    var reaction: RawObject?
    var postback: RawObject?
    var read: RawObject?
    var referral: RawObject?
    /// The first key, in sorted order, that is none of the known ones (e.g. `optin`, `pass_thread_control`).
    var otherKind: String?

    private static let knownKeys: Set<String> = [
        "sender", "recipient", "timestamp", "message", "reaction", "postback", "read", "referral",
    ]

    /// Nil when the element is not an object.
    init?(_ json: JSONBodyValue) {
        guard let members = json.members else { return nil }
        senderID = json["sender"].flatMap(RawObject.init)?.string("id")
        recipientID = json["recipient"].flatMap(RawObject.init)?.string("id")
        timestamp = json["timestamp"]?.lenientInt
        message = json["message"].flatMap(RawMessage.init)
        reaction = json["reaction"].flatMap(RawObject.init)
        postback = json["postback"].flatMap(RawObject.init)
        read = json["read"].flatMap(RawObject.init)
        referral = json["referral"].flatMap(RawObject.init)
        if message == nil && reaction == nil && postback == nil && read == nil && referral == nil {
            otherKind = members.keys.filter { !Self.knownKeys.contains($0) }.sorted().first
        }
    }
}

struct RawMessage {
    var fields: RawObject
    var attachments: [WebhookAttachment]

    /// Nil when `message` is not an object.
    init?(_ json: JSONBodyValue) {
        guard let fields = RawObject(json) else { return nil }
        self.fields = fields
        attachments = (json["attachments"]?.elements ?? []).compactMap(RawObject.init).map { item in
            WebhookAttachment(type: item.string("type") ?? "unknown", url: item.object("payload")?.string("url"))
        }
    }
}

/// The fields of any object in a `messaging[]` item that the parser reads; other keys are never kept.
///
/// A field of an unexpected type is treated as absent; ids and other scalars sent as numbers read as text.
struct RawObject {
    enum Field: String, CaseIterable {
        case id, mid, text, action, reaction, emoji, title, payload, ref, source, type, url, watermark
        case adID = "ad_id"
        case isEcho = "is_echo"
        case isDeleted = "is_deleted"
        case isUnsupported = "is_unsupported"
        case quickReply = "quick_reply"
        case replyTo = "reply_to"
        case story
        case referral
    }

    private static let flagFields: Set<Field> = [.isEcho, .isDeleted, .isUnsupported]
    private static let objectFields: Set<Field> = [.quickReply, .replyTo, .story, .referral]

    private var scalars: [Field: String] = [:]
    private var flags: Set<Field> = []
    private var children: [Field: RawObject] = [:]

    /// Nil when `json` is not an object.
    init?(_ json: JSONBodyValue) {
        guard let members = json.members else { return nil }
        for (name, value) in members {
            guard let key = Field(rawValue: name) else { continue }
            if Self.flagFields.contains(key) {
                if case .bool(true) = value { flags.insert(key) }
            } else if Self.objectFields.contains(key) {
                children[key] = RawObject(value)
            } else if case .string(let text) = value {
                scalars[key] = text
            } else if key == .payload, let child = RawObject(value) {
                children[key] = child
            } else if let text = value.lenientString {
                scalars[key] = text
            }
        }
    }

    func string(_ key: String) -> String? { Field(rawValue: key).flatMap { scalars[$0] } }
    func bool(_ key: String) -> Bool { Field(rawValue: key).map { flags.contains($0) } ?? false }
    func object(_ key: String) -> RawObject? { Field(rawValue: key).flatMap { children[$0] } }
}
