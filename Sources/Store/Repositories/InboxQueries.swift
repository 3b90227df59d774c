public import Foundation
public import Postgres

/// The tenant inbox's read side: conversations with their customer and latest message in one query, and a
/// cheap change fingerprint for live updates. Every query filters by the tenant.
///
/// ```swift
/// let inbox = InboxQueries(pool: pool)
/// let rows = try await inbox.conversations(tenantID: tenant.id)
/// let before = try await inbox.fingerprint(tenantID: tenant.id, conversationID: nil)
/// ```
public struct InboxQueries: Sendable {
    let pool: PostgresPool

    /// Creates the queries over `pool`.
    public init(pool: PostgresPool) { self.pool = pool }

    /// One inbox row.
    public struct Summary: Sendable, Equatable {
        /// The conversation.
        public var conversation: Conversation
        /// The customer's platform.
        public var platform: Platform
        /// The customer's platform id (IGSID/PSID).
        public var customerPlatformID: String
        /// The customer's cached username.
        public var customerUsername: String?
        /// The latest message text (nil for attachments or deleted ones).
        public var lastMessageText: String?
        /// When the latest message was stored.
        public var lastMessageAt: Date?
        /// How many messages the conversation has.
        public var messageCount: Int
    }

    /// The tenant's conversations, most recently active first.
    /// - Parameters:
    ///   - tenantID: the tenant.
    ///   - limit: the number of rows.
    /// - Returns: the rows.
    /// - Throws: a `PostgresError`.
    public func conversations(tenantID: TenantID, limit: Int = 100) async throws -> [Summary] {
        let rows = try await pool.query(
            """
            SELECT c.id, c.client_id, c.integration_id, c.user_id, c.is_taken_over, c.taken_over_by,
                   c.last_customer_message_at, u.platform, u.platform_user_id, u.username,
                   m.body, m.created_at, COALESCE(n.total, 0)::bigint
            FROM chatbot_conversations c
            JOIN platform_users u ON u.client_id = c.client_id AND u.id = c.user_id
            LEFT JOIN LATERAL (
                SELECT body, created_at FROM chatbot_messages
                WHERE client_id = c.client_id AND conversation_id = c.id
                ORDER BY created_at DESC, id DESC LIMIT 1
            ) m ON true
            LEFT JOIN LATERAL (
                SELECT count(*) AS total FROM chatbot_messages
                WHERE client_id = c.client_id AND conversation_id = c.id
            ) n ON true
            WHERE c.client_id = \(tenantID.rawValue)
            ORDER BY COALESCE(m.created_at, c.created_at) DESC, c.id
            LIMIT \(limit)
            """)
        return try rows.map { row in
            let (id, tenant, integration, user, takenOver, by, last, platform, platformID, username, body, at, count) =
                try row.decode(
                    (
                        UUID, UUID, UUID, UUID, Bool, String?, Date?, String, String, String?, String?, Date?,
                        Int
                    ).self)
            guard let platform = Platform(rawValue: platform) else {
                throw StoreError(.invalidValue, message: "platform")
            }
            return Summary(
                conversation: Conversation(
                    id: id, tenantID: TenantID(tenant), integrationID: IntegrationID(integration), userID: user,
                    isTakenOver: takenOver, takenOverBy: by, lastCustomerMessageAt: last),
                platform: platform, customerPlatformID: platformID, customerUsername: username,
                lastMessageText: body, lastMessageAt: at, messageCount: count)
        }
    }

    /// A value that changes whenever a message is stored or changes state, or a conversation is taken over or
    /// handed back — for the whole tenant (`conversationID` nil) or one conversation.
    /// - Throws: a `PostgresError`.
    public func fingerprint(tenantID: TenantID, conversationID: UUID?) async throws -> String {
        let rows = try await pool.query(
            """
            SELECT (SELECT count(*) FROM chatbot_messages
                    WHERE client_id = \(tenantID.rawValue)
                      AND (\(conversationID)::uuid IS NULL OR conversation_id = \(conversationID)))::text
                || ':' || COALESCE((SELECT max(GREATEST(created_at, COALESCE(sent_at, created_at)))::text
                    FROM chatbot_messages WHERE client_id = \(tenantID.rawValue)
                      AND (\(conversationID)::uuid IS NULL OR conversation_id = \(conversationID))), '-')
                || ':' || COALESCE((SELECT string_agg(id::text || is_taken_over::text, ',' ORDER BY id)
                    FROM chatbot_conversations WHERE client_id = \(tenantID.rawValue)
                      AND (\(conversationID)::uuid IS NULL OR id = \(conversationID))), '-')
                || ':' || (SELECT count(*) FROM chatbot_messages WHERE client_id = \(tenantID.rawValue)
                      AND send_state IS DISTINCT FROM 'pending'
                      AND (\(conversationID)::uuid IS NULL OR conversation_id = \(conversationID)))::text
            """)
        guard let row = rows.first else { return "" }
        return try row.decode(String.self)
    }
}
