public import Foundation

/// A customer on a platform, as seen by one tenant (`platform_users` row).
public struct PlatformUser: Sendable, Equatable {
    /// Our id.
    public let id: UUID
    /// The owning tenant.
    public let tenantID: TenantID
    /// The platform.
    public let platform: Platform
    /// The platform's user id (Instagram-scoped id).
    public let platformUserID: String
    /// Cached username.
    public var username: String?
}

/// A conversation between a tenant's integration and one customer (`chatbot_conversations` row).
public struct Conversation: Sendable, Equatable {
    /// The id.
    public let id: UUID
    /// The owning tenant.
    public let tenantID: TenantID
    /// The integration it runs on.
    public let integrationID: IntegrationID
    /// The customer (`platform_users.id`).
    public let userID: UUID
    /// Whether a human on the tenant's side took over (no AI reply until handed back).
    public var isTakenOver: Bool
    /// Who took over, if anyone.
    public var takenOverBy: String?
    /// The customer's last message time (starts Meta's 24-hour reply window).
    public var lastCustomerMessageAt: Date?
}

/// Which way a message went.
public enum MessageDirection: String, Sendable, Codable {
    /// From the customer.
    case inbound = "in"
    /// To the customer.
    case outbound = "out"
}

/// Delivery state of an outbound message (send-once bookkeeping).
public enum SendState: String, Sendable, Codable {
    /// Recorded, not yet confirmed sent.
    case pending
    /// Platform accepted it.
    case sent
    /// Gave up.
    case failed
}

/// One message (`chatbot_messages` row).
public struct Message: Sendable, Equatable {
    /// The id.
    public let id: UUID
    /// The owning tenant.
    public let tenantID: TenantID
    /// The conversation.
    public let conversationID: UUID
    /// In or out.
    public let direction: MessageDirection
    /// The platform's message id (`mid`), once known.
    public var mid: String?
    /// Text.
    public var body: String?
    /// Attachments as JSON.
    public var attachments: [UInt8]
    /// Written by the assistant.
    public var isAI: Bool
    /// Deleted by the customer.
    public var isDeleted: Bool
    /// Delivery state (outbound only).
    public var sendState: SendState?
    /// When it was stored.
    public let createdAt: Date
}

/// A tenant's usage in one month (`usage_ledger` row).
public struct UsageRecord: Sendable, Equatable {
    /// The tenant.
    public let tenantID: TenantID
    /// `YYYY-MM`.
    public let period: String
    /// Messages answered by the assistant.
    public var messagesAnswered: Int
    /// Messages stored but not answered because the tier's limit was reached.
    public var messagesOverLimit: Int
}

/// A notice sent (or to send) to a tenant, once per kind and period (`notices` row).
public struct Notice: Sendable, Equatable {
    /// The id.
    public let id: UUID
    /// The tenant.
    public let tenantID: TenantID
    /// `usage.80`, `usage.100`, `integration.needs_reauth`…
    public let kind: String
    /// `YYYY-MM` or another period key.
    public let period: String
    /// When it was recorded.
    public let createdAt: Date
}
