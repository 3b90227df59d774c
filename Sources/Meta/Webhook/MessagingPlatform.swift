/// The messaging product a webhook event belongs to, from the payload's `object` field.
///
/// An open set: `instagram` (Instagram DMs, via Instagram Login or Facebook Login) and `messenger`
/// (`object: page`, Facebook Messenger); any other object value keeps its own name.
public struct MessagingPlatform: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
    /// The platform's name (`instagram`, `messenger`, ...).
    public let rawValue: String

    /// Creates a platform from its name.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Instagram direct messages (`object: instagram`).
    public static var instagram: Self { .init(rawValue: "instagram") }
    /// Facebook Messenger (`object: page`).
    public static var messenger: Self { .init(rawValue: "messenger") }

    /// The platform of a webhook `object` value: `page` is Messenger, anything else keeps its name.
    public init(webhookObject object: String) {
        self.init(rawValue: object == "page" ? "messenger" : object)
    }

    /// The platform's name.
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
