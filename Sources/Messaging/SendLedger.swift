import Foundation
import Postgres
import Store

/// The send-once bookkeeping on `chatbot_messages`: outbound rows keyed by a send key, claimed before the
/// Graph call and completed after it.
///
/// `MessageRepository` records and completes outbound rows; this adds the three reads it lacks (an
/// insert that says whether *this* call created the row, the rows of one reply, and a lookup by `mid`).
/// Every statement filters by the tenant.
struct SendLedger: Sendable {
    /// One outbound row as the ledger sees it.
    struct Entry: Sendable, Equatable {
        /// The row id (`chatbot_messages.id`).
        var id: UUID
        /// The send key, e.g. `reply:<inbound mid>:0`.
        var sendKey: String
        /// The text.
        var body: String
        /// `pending`, `sent` or `failed`.
        var state: SendState
        /// The platform's id once sent.
        var mid: String?
        /// Seconds since the row was created (database clock).
        var ageSeconds: Double
    }

    let pool: PostgresPool

    /// The key of part `index` of the reply to inbound message `mid`.
    static func replyKey(mid: String, part index: Int) -> String { "reply:\(mid):\(index)" }

    /// Records every part of a reply as `pending` in one transaction, unless the reply was already recorded.
    /// - Returns: The rows of this reply, in part order; `created` is `false` when they existed before.
    func claimReply(
        tenantID: TenantID, conversationID: UUID, inboundMID: String, parts: [String], isAI: Bool
    ) async throws -> (entries: [Entry], created: Bool) {
        let prefix = "reply:\(inboundMID):"
        let created = try await pool.transaction { conn -> Bool in
            var created = false
            for (index, body) in parts.enumerated() {
                let rows = try conn.query(
                    """
                    INSERT INTO chatbot_messages
                        (id, client_id, conversation_id, direction, send_key, body, is_ai, send_state)
                    VALUES (\(UUID()), \(tenantID.rawValue), \(conversationID), 'out', \(prefix + String(index)),
                            \(body), \(isAI), 'pending')
                    ON CONFLICT (client_id, send_key) DO NOTHING
                    RETURNING id
                    """)
                if index == 0 { created = !rows.isEmpty }
                if !created { break }
            }
            return created
        }
        return (try await replyEntries(tenantID: tenantID, inboundMID: inboundMID), created)
    }

    /// The recorded parts of the reply to `inboundMID`, in part order (empty when none).
    func replyEntries(tenantID: TenantID, inboundMID: String) async throws -> [Entry] {
        let prefix = "reply:\(inboundMID):"
        let rows = try await pool.query(
            """
            SELECT id, send_key, COALESCE(body, ''), COALESCE(send_state, 'pending'), mid,
                   EXTRACT(EPOCH FROM (now() - created_at))::float8
            FROM chatbot_messages
            WHERE client_id = \(tenantID.rawValue) AND direction = 'out' AND starts_with(send_key, \(prefix))
            """)
        let entries = try rows.map(Self.entry)
        return entries.sorted { Self.partIndex($0.sendKey) < Self.partIndex($1.sendKey) }
    }

    /// The tenant's outbound row with this platform `mid`, if any (an echo of our own send).
    func outbound(tenantID: TenantID, mid: String) async throws -> Entry? {
        let rows = try await pool.query(
            """
            SELECT id, COALESCE(send_key, ''), COALESCE(body, ''), COALESCE(send_state, 'sent'), mid,
                   EXTRACT(EPOCH FROM (now() - created_at))::float8
            FROM chatbot_messages
            WHERE client_id = \(tenantID.rawValue) AND mid = \(mid) AND direction = 'out'
            """)
        return try rows.first.map(Self.entry)
    }

    /// The conversation's outbound rows without a known `mid` (`pending`: outcome not recorded; `failed`: Meta
    /// answered with an error or the call timed out), newest first: the candidates an unmatched echo may belong to.
    func unresolved(tenantID: TenantID, conversationID: UUID) async throws -> [Entry] {
        let rows = try await pool.query(
            """
            SELECT id, COALESCE(send_key, ''), COALESCE(body, ''), COALESCE(send_state, 'pending'), mid,
                   EXTRACT(EPOCH FROM (now() - created_at))::float8
            FROM chatbot_messages
            WHERE client_id = \(tenantID.rawValue) AND conversation_id = \(conversationID)
              AND direction = 'out' AND send_state IN ('pending', 'failed') AND mid IS NULL
            ORDER BY created_at DESC LIMIT 20
            """)
        return try rows.map(Self.entry)
    }

    private static func entry(_ row: PostgresRow) throws -> Entry {
        let (id, key, body, state, mid, age) = try row.decode((UUID, String, String, String, String?, Double).self)
        return Entry(
            id: id, sendKey: key, body: body, state: SendState(rawValue: state) ?? .pending, mid: mid,
            ageSeconds: age)
    }

    private static func partIndex(_ key: String) -> Int {
        key.split(separator: ":").last.flatMap { Int($0) } ?? 0
    }
}
