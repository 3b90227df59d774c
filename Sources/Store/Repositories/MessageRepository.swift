public import Foundation
public import Postgres

/// A tenant's messages (`chatbot_messages`): inbound de-duplicated by `mid`, outbound recorded once per
/// send key so a re-run never sends twice.
public struct MessageRepository: Sendable {
    let pool: PostgresPool

    /// Creates the repository over `pool`.
    public init(pool: PostgresPool) { self.pool = pool }

    static let columns =
        "id, client_id, conversation_id, direction, mid, body, attachments, is_ai, is_deleted, send_state, created_at"

    static func message(_ row: PostgresRow) throws -> Message {
        let (id, tenant, conversation, direction, mid, body, attachments, isAI, isDeleted, state, created) =
            try row.decode(
                (UUID, UUID, UUID, String, String?, String?, PostgresJSON, Bool, Bool, String?, Date).self)
        guard let direction = MessageDirection(rawValue: direction) else {
            throw StoreError(.invalidValue, message: "direction")
        }
        return Message(
            id: id, tenantID: TenantID(tenant), conversationID: conversation, direction: direction, mid: mid,
            body: body, attachments: attachments.bytes, isAI: isAI, isDeleted: isDeleted,
            sendState: state.flatMap(SendState.init(rawValue:)), createdAt: created)
    }

    /// Stores an inbound message; returns `nil` when this `mid` was already stored (a duplicate webhook).
    /// - Throws: a `PostgresError` (a foreign-key violation when the conversation is not the tenant's).
    public func insertInbound(
        tenantID: TenantID, conversationID: UUID, mid: String, body: String?, attachments: PostgresJSON? = nil
    ) async throws -> Message? {
        let attachments = attachments ?? PostgresJSON(bytes: Array("[]".utf8))
        let rows = try await pool.query(
            """
            INSERT INTO chatbot_messages (id, client_id, conversation_id, direction, mid, body, attachments)
            VALUES (\(UUID()), \(tenantID.rawValue), \(conversationID), 'in', \(mid), \(body), \(attachments))
            ON CONFLICT (client_id, mid) DO NOTHING
            RETURNING \(unsafeRaw: Self.columns)
            """)
        return try rows.first.map(Self.message)
    }

    /// Records an outbound message as `pending` under `sendKey`, or returns the one already recorded under
    /// that key (check its ``Message/sendState`` before sending).
    /// - Throws: a `PostgresError`.
    public func recordOutbound(
        tenantID: TenantID, conversationID: UUID, sendKey: String, body: String, isAI: Bool
    ) async throws -> Message {
        let rows = try await pool.query(
            """
            INSERT INTO chatbot_messages (id, client_id, conversation_id, direction, send_key, body, is_ai, send_state)
            VALUES (\(UUID()), \(tenantID.rawValue), \(conversationID), 'out', \(sendKey), \(body), \(isAI), 'pending')
            ON CONFLICT (client_id, send_key) DO UPDATE SET send_key = EXCLUDED.send_key
            RETURNING \(unsafeRaw: Self.columns)
            """)
        guard let row = rows.first else { throw StoreError(.notFound, message: "upsert returned no row") }
        return try Self.message(row)
    }

    /// Marks an outbound message sent with the platform's `mid`, or failed (`mid` nil).
    /// - Throws: ``StoreError/Code/notFound`` when the message is not the tenant's.
    public func markSent(mid: String?, tenantID: TenantID, messageID: UUID) async throws {
        let state = mid == nil ? SendState.failed : .sent
        let rows = try await pool.query(
            """
            UPDATE chatbot_messages SET send_state = \(state.rawValue), mid = COALESCE(\(mid), mid),
                sent_at = CASE WHEN \(mid)::text IS NULL THEN sent_at ELSE now() END
            WHERE client_id = \(tenantID.rawValue) AND id = \(messageID) AND direction = 'out'
            """)
        guard rows.affectedRows == 1 else { throw StoreError(.notFound, message: "no message \(messageID)") }
    }

    /// Marks the tenant's message with this `mid` deleted (the customer unsent it); returns whether one matched.
    /// - Throws: a `PostgresError`.
    @discardableResult
    public func markDeleted(mid: String, tenantID: TenantID) async throws -> Bool {
        let rows = try await pool.query(
            """
            UPDATE chatbot_messages SET is_deleted = true, body = NULL
            WHERE client_id = \(tenantID.rawValue) AND mid = \(mid)
            """)
        return rows.affectedRows > 0
    }

    /// The conversation's latest messages, oldest first (for the assistant's context).
    /// - Throws: a `PostgresError`.
    public func history(tenantID: TenantID, conversationID: UUID, limit: Int = 20) async throws -> [Message] {
        let rows = try await pool.query(
            """
            SELECT * FROM (
                SELECT \(unsafeRaw: Self.columns) FROM chatbot_messages
                WHERE client_id = \(tenantID.rawValue) AND conversation_id = \(conversationID)
                ORDER BY created_at DESC, id DESC LIMIT \(limit)
            ) recent ORDER BY created_at, id
            """)
        return try rows.map(Self.message)
    }

    /// The tenant's message, or `nil`.
    /// - Throws: a `PostgresError`.
    public func find(tenantID: TenantID, messageID: UUID) async throws -> Message? {
        let rows = try await pool.query(
            """
            SELECT \(unsafeRaw: Self.columns) FROM chatbot_messages
            WHERE client_id = \(tenantID.rawValue) AND id = \(messageID)
            """)
        return try rows.first.map(Self.message)
    }
}
