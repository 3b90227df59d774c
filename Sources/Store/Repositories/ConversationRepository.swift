public import Foundation
public import Postgres

/// A tenant's conversations (`chatbot_conversations`): human takeover and the 24-hour window.
public struct ConversationRepository: Sendable {
    let pool: PostgresPool

    /// Creates the repository over `pool`.
    public init(pool: PostgresPool) { self.pool = pool }

    static let columns =
        "id, client_id, integration_id, user_id, is_taken_over, taken_over_by, last_customer_message_at"

    static func conversation(_ row: PostgresRow) throws -> Conversation {
        let (id, tenant, integration, user, takenOver, by, last) = try row.decode(
            (UUID, UUID, UUID, UUID, Bool, String?, Date?).self)
        return Conversation(
            id: id, tenantID: TenantID(tenant), integrationID: IntegrationID(integration), userID: user,
            isTakenOver: takenOver, takenOverBy: by, lastCustomerMessageAt: last)
    }

    /// The conversation between the integration and the customer, created on first use.
    /// - Throws: a `PostgresError` (a foreign-key violation when either id is not the tenant's).
    public func findOrCreate(
        tenantID: TenantID, integrationID: IntegrationID, userID: UUID
    ) async throws -> Conversation {
        let rows = try await pool.query(
            """
            INSERT INTO chatbot_conversations (id, client_id, integration_id, user_id)
            VALUES (\(UUID()), \(tenantID.rawValue), \(integrationID.rawValue), \(userID))
            ON CONFLICT (client_id, integration_id, user_id) DO UPDATE SET client_id = EXCLUDED.client_id
            RETURNING \(unsafeRaw: Self.columns)
            """)
        guard let row = rows.first else { throw StoreError(.notFound, message: "upsert returned no row") }
        return try Self.conversation(row)
    }

    /// The tenant's conversation, or `nil`.
    /// - Throws: a `PostgresError`.
    public func find(tenantID: TenantID, conversationID: UUID) async throws -> Conversation? {
        let rows = try await pool.query(
            """
            SELECT \(unsafeRaw: Self.columns) FROM chatbot_conversations
            WHERE client_id = \(tenantID.rawValue) AND id = \(conversationID)
            """)
        return try rows.first.map(Self.conversation)
    }

    /// The tenant's most recently active conversations.
    /// - Throws: a `PostgresError`.
    public func listRecent(tenantID: TenantID, limit: Int = 50) async throws -> [Conversation] {
        let rows = try await pool.query(
            """
            SELECT \(unsafeRaw: Self.columns) FROM chatbot_conversations WHERE client_id = \(tenantID.rawValue)
            ORDER BY last_message_at DESC NULLS LAST, id LIMIT \(limit)
            """)
        return try rows.map(Self.conversation)
    }

    /// Marks the conversation taken over by a human (`by` non-nil) or handed back to the assistant (`nil`).
    /// - Throws: ``StoreError/Code/notFound`` when the conversation is not the tenant's.
    public func setTakenOver(by person: String?, tenantID: TenantID, conversationID: UUID) async throws {
        let rows = try await pool.query(
            """
            UPDATE chatbot_conversations SET is_taken_over = \(person != nil), taken_over_by = \(person),
                taken_over_at = CASE WHEN \(person)::text IS NULL THEN NULL ELSE now() END
            WHERE client_id = \(tenantID.rawValue) AND id = \(conversationID)
            """)
        guard rows.affectedRows == 1 else { throw StoreError(.notFound, message: "no conversation \(conversationID)") }
    }

    /// Records the time of the customer's latest message (opens the 24-hour window).
    /// - Throws: ``StoreError/Code/notFound`` when the conversation is not the tenant's.
    public func recordCustomerMessage(at date: Date, tenantID: TenantID, conversationID: UUID) async throws {
        let rows = try await pool.query(
            """
            UPDATE chatbot_conversations
            SET last_customer_message_at = GREATEST(last_customer_message_at, \(date)),
                last_message_at = GREATEST(last_message_at, \(date))
            WHERE client_id = \(tenantID.rawValue) AND id = \(conversationID)
            """)
        guard rows.affectedRows == 1 else { throw StoreError(.notFound, message: "no conversation \(conversationID)") }
    }
}
