/// One normalized webhook event: one `entry[].messaging[]` item, with the ids the job needs and the content.
///
/// Its `Codable` form is compact (short keys, nil fields omitted) and carries ids, text and attachment URLs only,
/// never a token, so it can travel as a job payload.
///
/// ```swift
/// let batch = try WebhookParser.parse(body)
/// for event in batch.events where event.kind == .message && !event.isEcho { ... }
/// ```
public struct WebhookEvent: Codable, Hashable, Sendable {
    /// A stable id for deduplication: the message `mid`, or one synthesized for items without their own mid
    /// (`deleted:<mid>`, `reaction:<mid>:<action>:<timestamp>`, `read:<mid>`, `postback:<mid>`,
    /// `<kind>:<sender>:<timestamp>`). A redelivery of the same item gets the same id.
    public var id: String
    /// Instagram or Messenger.
    public var platform: MessagingPlatform
    /// The receiving business account: `entry.id` (IG user id or Page id). Route tenants by this.
    public var accountID: String
    /// `sender.id` (the customer's IGSID/PSID, or the business account for echoes).
    public var senderID: String
    /// `recipient.id`.
    public var recipientID: String
    /// `timestamp` of the item in epoch milliseconds (`entry.time` when the item has none).
    public var timestampMs: Int64
    /// What the item carries.
    public var kind: WebhookEventKind
    /// The message id the item is about (the message's own, the reacted/read/postback message's), if any.
    public var mid: String?
    /// Message text (also the title of a tapped quick reply).
    public var text: String?
    /// Message attachments, in order.
    public var attachments: [WebhookAttachment]
    /// `message.is_echo`: sent by the business account (by this app, or by a person in the Instagram app).
    public var isEcho: Bool
    /// `message.is_deleted`: the customer unsent the message `mid`.
    public var isDeleted: Bool
    /// `message.is_unsupported`: media the API cannot deliver.
    public var isUnsupported: Bool
    /// `message.quick_reply.payload` of a tapped quick reply.
    public var quickReplyPayload: String?
    /// `message.reply_to.mid`: the message this one replies to inline.
    public var replyToMID: String?
    /// `message.reply_to.story.id`: the story this message replies to.
    public var replyToStoryID: String?
    /// `message.reply_to.story.url`.
    public var replyToStoryURL: String?
    /// `reaction.action`: `react` or `unreact`.
    public var reactionAction: String?
    /// `reaction.reaction` (e.g. `love`) or else `reaction.emoji`.
    public var reaction: String?
    /// `postback.title`.
    public var postbackTitle: String?
    /// `postback.payload`.
    public var postbackPayload: String?
    /// `referral.ref` (of a referral item, or of `message.referral`).
    public var referralRef: String?
    /// `referral.source` (e.g. `ADS`, an ig.me link).
    public var referralSource: String?
    /// `referral.ad_id`, when an ad opened the thread.
    public var referralAdID: String?

    /// Creates an event; content fields default to empty.
    public init(
        id: String, platform: MessagingPlatform, accountID: String, senderID: String, recipientID: String,
        timestampMs: Int64, kind: WebhookEventKind, mid: String? = nil, text: String? = nil,
        attachments: [WebhookAttachment] = [], isEcho: Bool = false, isDeleted: Bool = false,
        isUnsupported: Bool = false
    ) {
        self.id = id
        self.platform = platform
        self.accountID = accountID
        self.senderID = senderID
        self.recipientID = recipientID
        self.timestampMs = timestampMs
        self.kind = kind
        self.mid = mid
        self.text = text
        self.attachments = attachments
        self.isEcho = isEcho
        self.isDeleted = isDeleted
        self.isUnsupported = isUnsupported
    }

    /// The customer in the conversation: the recipient of an echo, else the sender.
    public var customerID: String { isEcho ? recipientID : senderID }

    enum CodingKeys: String, CodingKey {
        case id, platform = "p", accountID = "a", senderID = "s", recipientID = "r", timestampMs = "ts", kind = "k"
        case mid = "m", text = "x", attachments = "at", isEcho = "echo", isDeleted = "del", isUnsupported = "uns"
        case quickReplyPayload = "qr", replyToMID = "rt", replyToStoryID = "rs", replyToStoryURL = "rsu"
        case reactionAction = "ra", reaction = "re", postbackTitle = "pt", postbackPayload = "pp"
        case referralRef = "rf", referralSource = "rfs", referralAdID = "ad"
    }

    /// Encodes compactly: nil fields, empty attachments and false flags are left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(platform, forKey: .platform)
        try container.encode(accountID, forKey: .accountID)
        try container.encode(senderID, forKey: .senderID)
        try container.encode(recipientID, forKey: .recipientID)
        try container.encode(timestampMs, forKey: .timestampMs)
        try container.encode(kind, forKey: .kind)
        try container.encodeIfPresent(mid, forKey: .mid)
        try container.encodeIfPresent(text, forKey: .text)
        if !attachments.isEmpty { try container.encode(attachments, forKey: .attachments) }
        if isEcho { try container.encode(true, forKey: .isEcho) }
        if isDeleted { try container.encode(true, forKey: .isDeleted) }
        if isUnsupported { try container.encode(true, forKey: .isUnsupported) }
        try container.encodeIfPresent(quickReplyPayload, forKey: .quickReplyPayload)
        try container.encodeIfPresent(replyToMID, forKey: .replyToMID)
        try container.encodeIfPresent(replyToStoryID, forKey: .replyToStoryID)
        try container.encodeIfPresent(replyToStoryURL, forKey: .replyToStoryURL)
        try container.encodeIfPresent(reactionAction, forKey: .reactionAction)
        try container.encodeIfPresent(reaction, forKey: .reaction)
        try container.encodeIfPresent(postbackTitle, forKey: .postbackTitle)
        try container.encodeIfPresent(postbackPayload, forKey: .postbackPayload)
        try container.encodeIfPresent(referralRef, forKey: .referralRef)
        try container.encodeIfPresent(referralSource, forKey: .referralSource)
        try container.encodeIfPresent(referralAdID, forKey: .referralAdID)
    }

    /// Decodes the compact form; missing flags and attachments default to false and empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        platform = try container.decode(MessagingPlatform.self, forKey: .platform)
        accountID = try container.decode(String.self, forKey: .accountID)
        senderID = try container.decode(String.self, forKey: .senderID)
        recipientID = try container.decode(String.self, forKey: .recipientID)
        timestampMs = try container.decode(Int64.self, forKey: .timestampMs)
        kind = try container.decode(WebhookEventKind.self, forKey: .kind)
        mid = try container.decodeIfPresent(String.self, forKey: .mid)
        text = try container.decodeIfPresent(String.self, forKey: .text)
        attachments = try container.decodeIfPresent([WebhookAttachment].self, forKey: .attachments) ?? []
        isEcho = try container.decodeIfPresent(Bool.self, forKey: .isEcho) ?? false
        isDeleted = try container.decodeIfPresent(Bool.self, forKey: .isDeleted) ?? false
        isUnsupported = try container.decodeIfPresent(Bool.self, forKey: .isUnsupported) ?? false
        quickReplyPayload = try container.decodeIfPresent(String.self, forKey: .quickReplyPayload)
        replyToMID = try container.decodeIfPresent(String.self, forKey: .replyToMID)
        replyToStoryID = try container.decodeIfPresent(String.self, forKey: .replyToStoryID)
        replyToStoryURL = try container.decodeIfPresent(String.self, forKey: .replyToStoryURL)
        reactionAction = try container.decodeIfPresent(String.self, forKey: .reactionAction)
        reaction = try container.decodeIfPresent(String.self, forKey: .reaction)
        postbackTitle = try container.decodeIfPresent(String.self, forKey: .postbackTitle)
        postbackPayload = try container.decodeIfPresent(String.self, forKey: .postbackPayload)
        referralRef = try container.decodeIfPresent(String.self, forKey: .referralRef)
        referralSource = try container.decodeIfPresent(String.self, forKey: .referralSource)
        referralAdID = try container.decodeIfPresent(String.self, forKey: .referralAdID)
    }
}
