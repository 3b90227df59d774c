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

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        let party = { (name: String) -> String? in
            (try? container.decodeIfPresent(RawObject.self, forKey: AnyKey(name)))?.string("id")
        }
        senderID = party("sender")
        recipientID = party("recipient")
        timestamp = (try? container.decodeIfPresent(LenientInt.self, forKey: AnyKey("timestamp")))?.value
        message = try? container.decodeIfPresent(RawMessage.self, forKey: AnyKey("message"))
        reaction = try? container.decodeIfPresent(RawObject.self, forKey: AnyKey("reaction"))
        postback = try? container.decodeIfPresent(RawObject.self, forKey: AnyKey("postback"))
        read = try? container.decodeIfPresent(RawObject.self, forKey: AnyKey("read"))
        referral = try? container.decodeIfPresent(RawObject.self, forKey: AnyKey("referral"))
        let known: Set<String> = [
            "sender", "recipient", "timestamp", "message", "reaction", "postback", "read", "referral",
        ]
        otherKind = container.allKeys.map(\.stringValue).filter { !known.contains($0) }.sorted().first
    }
}

struct RawMessage: Decodable {
    var fields: RawObject
    var attachments: [WebhookAttachment]

    init(from decoder: any Decoder) throws {
        fields = try RawObject(from: decoder)
        let container = try decoder.container(keyedBy: AnyKey.self)
        let raw = (try? container.decodeIfPresent([Lossy<RawObject>].self, forKey: AnyKey("attachments"))) ?? []
        attachments = raw.compactMap(\.value).map { item in
            WebhookAttachment(type: item.string("type") ?? "unknown", url: item.object("payload")?.string("url"))
        }
    }
}

/// A JSON object read one level deep: string-ish scalars, booleans and nested objects by key.
struct RawObject: Decodable {
    private var scalars: [String: String] = [:]
    private var flags: [String: Bool] = [:]
    private var children: [String: RawObject] = [:]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        for key in container.allKeys {
            if let flag = try? container.decode(Bool.self, forKey: key) {
                flags[key.stringValue] = flag
            } else if let value = try? container.decode(LenientString.self, forKey: key) {
                scalars[key.stringValue] = value.value
            } else if let child = try? container.decode(RawObject.self, forKey: key) {
                children[key.stringValue] = child
            }
        }
    }

    func string(_ key: String) -> String? { scalars[key] }
    func bool(_ key: String) -> Bool { flags[key] ?? false }
    func object(_ key: String) -> RawObject? { children[key] }
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
