import Foundation
import Postgres
import Store

/// The send-once bookkeeping on `chatbot_messages`: outbound rows keyed by a send key, claimed before the
/// Graph call and completed after it.
///
/// `MessageRepository` records and completes outbound rows; this adds the reads and the claim it lacks (an
/// insert that says whether *this* call created the rows, and lookups by `mid`). Every statement filters by the
/// tenant. Reply rows are found by their exact send keys (`reply:<mid>:0…n`), so every lookup is an index probe
/// on `(client_id, send_key)` however many messages the tenant has.
struct SendLedger: Sendable {
    /// One outbound row as the ledger sees it.
    typealias Entry = OutboundPart

    /// What a claim found or created.
    struct Claim: Sendable {
        /// The rows of this reply, in part order.
        var entries: [Entry]
        /// Whether this call recorded them (`false`: an earlier run did).
        var created: Bool
        /// The integration's sealed token, read in the same statement (`nil`: none stored).
        var sealedToken: SealedToken?
    }

    let pool: PostgresPool

    /// The key of part `index` of the reply to inbound message `mid`.
    static func replyKey(mid: String, part index: Int) -> String { "reply:\(mid):\(index)" }

    /// The keys of parts `0..<parts` of the reply to `mid`.
    static func replyKeys(mid: String, parts: Int) -> [String] {
        (0..<max(1, parts)).map { replyKey(mid: mid, part: $0) }
    }

    /// Records every part of a reply as `pending` in one statement, unless the reply was already recorded, and
    /// reads the integration's sealed token for the send.
    ///
    /// Part 0 is the claim: the other parts are inserted only when this statement inserted part 0, so a run
    /// whose reply has a different number of parts never adds parts to an earlier run's reply. Two runs racing
    /// (a lease that expired mid-run) serialize on part 0's unique key; the loser may find no rows in its
    /// snapshot and gets an empty, not-created claim (the caller retries later).
    /// - Returns: The claim: the rows in part order, whether this call created them, and the sealed token.
    func claimReply(
        tenantID: TenantID, integrationID: IntegrationID, conversationID: UUID, inboundMID: String,
        parts: [String], isAI: Bool, lookupParts: Int
    ) async throws -> Claim {
        let keys = parts.indices.map { Self.replyKey(mid: inboundMID, part: $0) }
        let allKeys = Self.replyKeys(mid: inboundMID, parts: max(lookupParts, parts.count))
        let head = parts.first ?? ""
        let restKeys = Array(keys.dropFirst())
        let restBodies = Array(parts.dropFirst())
        let rows = try await pool.query(
            """
            WITH head AS (
                INSERT INTO chatbot_messages
                    (id, client_id, conversation_id, direction, send_key, body, is_ai, send_state)
                VALUES (\(UUID()), \(tenantID.rawValue), \(conversationID), 'out', \(keys.first ?? ""), \(head),
                        \(isAI), 'pending')
                ON CONFLICT (client_id, send_key) DO NOTHING
                RETURNING id, send_key, body, send_state, mid
            ), rest AS (
                INSERT INTO chatbot_messages
                    (id, client_id, conversation_id, direction, send_key, body, is_ai, send_state)
                SELECT gen_random_uuid(), \(tenantID.rawValue), \(conversationID), 'out', r.key, r.body, \(isAI),
                       'pending'
                FROM unnest(\(restKeys)::text[], \(restBodies)::text[]) AS r(key, body)
                WHERE EXISTS (SELECT 1 FROM head)
                ON CONFLICT (client_id, send_key) DO NOTHING
                RETURNING id, send_key, body, send_state, mid
            ), parts AS (
                SELECT true AS created, id, send_key, body, send_state, mid, 0::float8 AS age FROM head
                UNION ALL
                SELECT true, id, send_key, body, send_state, mid, 0::float8 FROM rest
                UNION ALL
                SELECT false, id, send_key, COALESCE(body, ''), COALESCE(send_state, 'pending'), mid,
                       EXTRACT(EPOCH FROM (now() - created_at))::float8
                FROM chatbot_messages
                WHERE client_id = \(tenantID.rawValue) AND direction = 'out' AND send_key = ANY(\(allKeys))
                  AND NOT EXISTS (SELECT 1 FROM head)
            )
            SELECT p.created, p.id, p.send_key, p.body, p.send_state, p.mid, p.age,
                   i.access_token, i.token_key_id, i.token_format
            FROM parts p
            LEFT JOIN platform_integrations i
                ON i.client_id = \(tenantID.rawValue) AND i.id = \(integrationID.rawValue)
                   AND i.access_token IS NOT NULL
            """)
        var claim = Claim(entries: [], created: false, sealedToken: nil)
        for row in rows {
            let (created, id, key, body, state, mid, age, token, keyID, format) = try row.decode(
                (Bool, UUID, String, String, String, String?, Double, [UInt8]?, Int?, Int?).self)
            claim.created = created
            claim.entries.append(
                Entry(
                    id: id, sendKey: key, body: body, state: SendState(rawValue: state) ?? .pending, mid: mid,
                    ageSeconds: age))
            if let token, let keyID, let format {
                claim.sealedToken = SealedToken(ciphertext: token, keyID: keyID, formatVersion: format)
            }
        }
        claim.entries.sort { Self.partIndex($0.sendKey) < Self.partIndex($1.sendKey) }
        return claim
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
