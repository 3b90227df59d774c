/// One attachment of a webhook message.
///
/// `type` is an open string: Meta documents `audio`, `file`, `image`, `share`, `story_mention`, `video`, `ig_reel`,
/// `reel`, and sends others (`ig_post`, `ig_story`, `unsupported_type`, ...); always keep a default branch.
public struct WebhookAttachment: Codable, Hashable, Sendable {
    /// The attachment type as Meta sent it.
    public var type: String
    /// `payload.url` (a CDN URL that expires; download promptly), if any.
    public var url: String?

    /// Creates an attachment.
    public init(type: String, url: String? = nil) {
        self.type = type
        self.url = url
    }

    enum CodingKeys: String, CodingKey {
        case type = "t"
        case url = "u"
    }
}
