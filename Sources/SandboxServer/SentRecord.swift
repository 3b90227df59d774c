/// One Send API call the sandbox received and answered, as `GET /_sandbox/sent` lists it.
///
/// Never holds the access token itself: `tokenID` is a short, non-reversible fingerprint of it.
struct SentRecord: Codable, Sendable {
    /// Position in the recording (rising; survives ring-buffer drops).
    var seq: Int
    /// The `message_id` the sandbox answered with (empty for sender actions).
    var messageID: String
    /// The account in the path (`IG_ID`, page id or `me`).
    var account: String
    /// The API host kind the call looked like (`graph` path), with its version or nil.
    var apiVersion: String?
    /// `recipient.id`.
    var recipient: String
    /// `message.text`, if any.
    var text: String?
    /// `message.attachment.type`, if any.
    var attachmentType: String?
    /// `message.attachment.payload.url`, if any.
    var attachmentURL: String?
    /// The titles of `message.quick_replies`, if any.
    var quickReplies: [String]?
    /// `messaging_type`, if given.
    var messagingType: String?
    /// `tag` (e.g. `HUMAN_AGENT`), if given.
    var tag: String?
    /// `sender_action` (`typing_on`, `typing_off`, `mark_seen`), if given.
    var senderAction: String?
    /// A short fingerprint of the access token used.
    var tokenID: String
    /// The user the token belongs to, when the sandbox knows it.
    var tokenUserID: String?
    /// When the call was received, epoch milliseconds.
    var timeMs: Int64

    enum CodingKeys: String, CodingKey {
        case seq
        case messageID = "message_id"
        case account
        case apiVersion = "api_version"
        case recipient, text
        case attachmentType = "attachment_type"
        case attachmentURL = "attachment_url"
        case quickReplies = "quick_replies"
        case messagingType = "messaging_type"
        case tag
        case senderAction = "sender_action"
        case tokenID = "token_id"
        case tokenUserID = "token_user_id"
        case timeMs = "time_ms"
    }
}
