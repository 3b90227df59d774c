/// What a `messaging[]` item carries. An open set: items with an unknown key keep that key's name.
public struct WebhookEventKind: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
    /// The kind's name (`message`, `reaction`, ...).
    public let rawValue: String

    /// Creates a kind from its name.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// A `message` item: text, attachments, echo, deletion, unsupported media, story reply ...
    public static var message: Self { .init(rawValue: "message") }
    /// A `reaction` item (react / unreact on a message).
    public static var reaction: Self { .init(rawValue: "reaction") }
    /// A `postback` item (icebreaker or button tap).
    public static var postback: Self { .init(rawValue: "postback") }
    /// A `read` item (the user saw messages up to `mid`).
    public static var read: Self { .init(rawValue: "read") }
    /// A `referral` item (ig.me link or ad opened the thread).
    public static var referral: Self { .init(rawValue: "referral") }

    /// The kind's name.
    public var description: String { rawValue }

    /// Decodes from a plain string.
    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes as a plain string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
