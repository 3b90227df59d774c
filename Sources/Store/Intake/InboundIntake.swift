public import Foundation

/// A customer's inbound message as process-message stores it (see ``InboundIntakeRepository``).
public struct InboundRecord: Sendable {
    /// The receiving platform.
    public var platform: Platform
    /// The receiving business account (webhook `entry.id`).
    public var accountID: String
    /// The customer's platform-scoped id.
    public var customerID: String
    /// The message's platform id (`mid`), unique per tenant.
    public var mid: String
    /// The text, if any.
    public var body: String?
    /// The attachments as stored in `chatbot_messages.attachments` (a JSON array).
    public var attachmentsJSON: [UInt8]
    /// When the customer sent it (opens the 24-hour window).
    public var sentAt: Date

    /// Creates a record.
    public init(
        platform: Platform, accountID: String, customerID: String, mid: String, body: String?,
        attachmentsJSON: [UInt8], sentAt: Date
    ) {
        self.platform = platform
        self.accountID = accountID
        self.customerID = customerID
        self.mid = mid
        self.body = body
        self.attachmentsJSON = attachmentsJSON
        self.sentAt = sentAt
    }
}

/// One outbound row of the send ledger (a part of a reply), keyed by its send key.
public struct OutboundPart: Sendable, Equatable, Decodable {
    /// The row id (`chatbot_messages.id`).
    public var id: UUID
    /// The send key, e.g. `reply:<inbound mid>:0`.
    public var sendKey: String
    /// The text.
    public var body: String
    /// `pending`, `sent` or `failed`.
    public var state: SendState
    /// The platform's id once sent.
    public var mid: String?
    /// Seconds since the row was created (database clock).
    public var ageSeconds: Double

    /// Creates a part.
    public init(id: UUID, sendKey: String, body: String, state: SendState, mid: String?, ageSeconds: Double) {
        self.id = id
        self.sendKey = sendKey
        self.body = body
        self.state = state
        self.mid = mid
        self.ageSeconds = ageSeconds
    }

    enum CodingKeys: String, CodingKey {
        case id, sendKey = "k", body = "b", state = "s", mid = "m", ageSeconds = "a"
    }

    /// Decodes the compact JSON the intake statement builds.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(UUID.self, forKey: .id)
        sendKey = try container.decode(String.self, forKey: .sendKey)
        body = try container.decodeIfPresent(String.self, forKey: .body) ?? ""
        state = SendState(rawValue: try container.decodeIfPresent(String.self, forKey: .state) ?? "") ?? .pending
        mid = try container.decodeIfPresent(String.self, forKey: .mid)
        ageSeconds = try container.decode(Double.self, forKey: .ageSeconds)
    }
}

/// Everything process-message needs about an inbound message, read and written in one statement.
public struct InboundIntake: Sendable {
    /// The routing facts of the receiving account.
    public var route: CrossTenantQueries.Route
    /// The tenant (tier, status, persona).
    public var tenant: Tenant
    /// The customer (created on first contact).
    public var user: PlatformUser
    /// The conversation (created on first contact; its window already bumped by this message).
    public var conversation: Conversation
    /// Whether this call stored the message (`false`: a redelivery or a re-run found it stored).
    public var isNew: Bool
    /// The conversation's latest messages, oldest first, this message included.
    public var history: [Message]
    /// The parts of the reply to this message already recorded (by an earlier run), in part order.
    public var replyParts: [OutboundPart]
    /// The integration's sealed access token, if one is stored.
    public var sealedToken: SealedToken?
}
