import Foundation

/// The webhook JSON as Meta sends it, decoded leniently: every field optional, a field of the wrong type is
/// treated as absent, a malformed array element is skipped, unknown fields are ignored.
struct RawWebhook: Decodable {
    var object: String?
    var entry: [RawEntry]

    enum CodingKeys: String, CodingKey { case object, entry }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        object = try? container.decodeIfPresent(String.self, forKey: .object)
        entry = ((try? container.decodeIfPresent([Lossy<RawEntry>].self, forKey: .entry)) ?? []).compactMap(\.value)
    }
}

struct RawEntry: Decodable {
    var id: String?
    var time: Int64?
    var messaging: [RawMessaging]
    var changeCount: Int

    enum CodingKeys: String, CodingKey { case id, time, messaging, changes }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = (try? container.decodeIfPresent(LenientString.self, forKey: .id))?.value
        time = (try? container.decodeIfPresent(LenientInt.self, forKey: .time))?.value
        messaging =
            ((try? container.decodeIfPresent([Lossy<RawMessaging>].self, forKey: .messaging)) ?? []).compactMap(\.value)
        changeCount = ((try? container.decodeIfPresent([Lossy<Ignored>].self, forKey: .changes)) ?? []).count
    }
}

struct RawMessaging: Decodable {
    var senderID: String?
    var recipientID: String?
    var timestamp: Int64?
    var message: RawMessage?
    var reaction: RawObject?
    var postback: RawObject?
    var read: RawObject?
    var referral: RawObject?
    /// The first key that is none of the known ones (e.g. `optin`, `pass_thread_control`).
    var otherKind: String?

    enum CodingKeys: String, CodingKey {
        case sender, recipient, timestamp, message, reaction, postback, read, referral
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        senderID = (try? container.decodeIfPresent(RawObject.self, forKey: .sender))?.string("id")
        recipientID = (try? container.decodeIfPresent(RawObject.self, forKey: .recipient))?.string("id")
        timestamp = (try? container.decodeIfPresent(LenientInt.self, forKey: .timestamp))?.value
        message = try? container.decodeIfPresent(RawMessage.self, forKey: .message)
        reaction = try? container.decodeIfPresent(RawObject.self, forKey: .reaction)
        postback = try? container.decodeIfPresent(RawObject.self, forKey: .postback)
        read = try? container.decodeIfPresent(RawObject.self, forKey: .read)
        referral = try? container.decodeIfPresent(RawObject.self, forKey: .referral)
        if message == nil && reaction == nil && postback == nil && read == nil && referral == nil {
            let all = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
            otherKind = all.filter { CodingKeys(stringValue: $0) == nil }.sorted().first
        }
    }
}

struct RawMessage: Decodable {
    var fields: RawObject
    var attachments: [WebhookAttachment]

    enum CodingKeys: String, CodingKey { case attachments }

    init(from decoder: any Decoder) throws {
        fields = try RawObject(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let raw = (try? container.decodeIfPresent([Lossy<RawObject>].self, forKey: .attachments)) ?? []
        attachments = raw.compactMap(\.value).map { item in
            WebhookAttachment(type: item.string("type") ?? "unknown", url: item.object("payload")?.string("url"))
        }
    }
}

/// The fields of any object in a `messaging[]` item that the parser reads; other keys are never decoded.
///
/// Each field is decoded with the type Meta sends first (so the common case throws nothing) and a field of an
/// unexpected type is treated as absent.
struct RawObject: Decodable {
    enum Field: String, CodingKey, CaseIterable {
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

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Field.self)
        for key in container.allKeys {
            if Self.flagFields.contains(key) {
                if (try? container.decode(Bool.self, forKey: key)) == true { flags.insert(key) }
            } else if Self.objectFields.contains(key) {
                children[key] = try? container.decode(RawObject.self, forKey: key)
            } else if let value = try? container.decode(String.self, forKey: key) {
                scalars[key] = value
            } else if key == .payload, let child = try? container.decode(RawObject.self, forKey: key) {
                children[key] = child
            } else if let value = try? container.decode(LenientString.self, forKey: key) {
                scalars[key] = value.value
            }
        }
    }

    func string(_ key: String) -> String? { Field(rawValue: key).flatMap { scalars[$0] } }
    func bool(_ key: String) -> Bool { Field(rawValue: key).map { flags.contains($0) } ?? false }
    func object(_ key: String) -> RawObject? { Field(rawValue: key).flatMap { children[$0] } }
}

/// Decodes anything and keeps nothing (counts array elements).
struct Ignored: Decodable {
    init(from decoder: any Decoder) throws {}
}

/// Decodes `T`, or nil when the element is malformed, so one bad element never fails its array.
struct Lossy<T: Decodable>: Decodable {
    var value: T?
    init(from decoder: any Decoder) throws { value = try? T(from: decoder) }
}

/// A string Meta may send as a JSON number (ids).
struct LenientString: Decodable {
    var value: String
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            value = text
        } else if let number = try? container.decode(Int64.self) {
            value = String(number)
        } else {
            value = String(try container.decode(Double.self))
        }
    }
}

/// An integer Meta may send as a JSON string or a float (timestamps).
struct LenientInt: Decodable {
    var value: Int64
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self) {
            value = number
        } else if let number = try? container.decode(Double.self), number.isFinite, abs(number) < 9e18 {
            value = Int64(number)
        } else if let text = try? container.decode(String.self), let number = Int64(text) {
            value = number
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an integer"))
        }
    }
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
