import Foundation
public import Postgres

/// Stores a customer's inbound message and reads what answering it needs, in ONE statement (one round trip):
/// route the receiving account to its tenant, upsert the customer, upsert the conversation and open its
/// 24-hour window, insert the message (idempotent by `mid`), and read the tenant, the recent history, the
/// reply parts an earlier run recorded and the sealed token.
///
/// Every write and read is filtered by the tenant the account routes to. The reads see the database as of the
/// statement's start (PostgreSQL's snapshot rule for data-modifying `WITH`), so the message stored by this call
/// is appended to ``InboundIntake/history`` here.
///
/// ```swift
/// let intake = InboundIntakeRepository(pool: pool)
/// guard let stored = try await intake.record(record, historyLimit: 20, replyKeys: keys) else { /* unknown */ }
/// ```
public struct InboundIntakeRepository: Sendable {
    let pool: PostgresPool

    /// Creates the repository over `pool`.
    public init(pool: PostgresPool) { self.pool = pool }

    /// One history row in the statement's compact JSON.
    private struct HistoryRow: Decodable {
        var id: UUID
        var d: String
        var b: String?
        var x: Bool
        var s: String?
        var t: Double
    }

    /// Records the message and reads its context.
    /// - Parameters:
    ///   - record: The inbound message.
    ///   - historyLimit: How many recent messages to return (this one included).
    ///   - replyKeys: The send keys of the reply's possible parts (`reply:<mid>:0` …), looked up in the ledger.
    /// - Returns: The intake, or `nil` when no tenant connected the receiving account.
    /// - Throws: a `PostgresError`, or ``StoreError`` for an unknown tier or status.
    public func record(
        _ record: InboundRecord, historyLimit: Int, replyKeys: [String]
    ) async throws -> InboundIntake? {
        let tenantColumns = TenantRepository.columns.split(separator: ",")
            .map { "t." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", ")
        let attachments = PostgresJSON(bytes: record.attachmentsJSON)
        let rows = try await pool.query(
            """
            WITH route AS (
                SELECT i.client_id, i.id AS integration_id, i.status AS integration_status,
                       i.access_token, i.token_key_id, i.token_format
                FROM platform_integrations i
                WHERE i.platform = \(record.platform.rawValue) AND i.account_id = \(record.accountID)
            ), usr AS (
                INSERT INTO platform_users (id, client_id, platform, platform_user_id)
                SELECT \(UUID()), route.client_id, \(record.platform.rawValue), \(record.customerID) FROM route
                ON CONFLICT (client_id, platform, platform_user_id) DO UPDATE
                    SET platform_user_id = EXCLUDED.platform_user_id
                RETURNING id, username
            ), conv AS (
                INSERT INTO chatbot_conversations AS c
                    (id, client_id, integration_id, user_id, last_customer_message_at, last_message_at)
                SELECT \(UUID()), route.client_id, route.integration_id, usr.id, \(record.sentAt), \(record.sentAt)
                FROM route, usr
                ON CONFLICT (client_id, integration_id, user_id) DO UPDATE SET
                    last_customer_message_at =
                        GREATEST(c.last_customer_message_at, EXCLUDED.last_customer_message_at),
                    last_message_at = GREATEST(c.last_message_at, EXCLUDED.last_message_at)
                RETURNING id, is_taken_over, taken_over_by, last_customer_message_at
            ), msg AS (
                INSERT INTO chatbot_messages (id, client_id, conversation_id, direction, mid, body, attachments)
                SELECT \(UUID()), route.client_id, conv.id, 'in', \(record.mid), \(record.body), \(attachments)
                FROM route, conv
                ON CONFLICT (client_id, mid) DO NOTHING
                RETURNING id, created_at
            )
            SELECT \(unsafeRaw: tenantColumns),
                route.integration_id AS intake_integration, route.integration_status AS intake_integration_status,
                route.access_token AS intake_token, route.token_key_id AS intake_token_key,
                route.token_format AS intake_token_format,
                usr.id AS intake_user, usr.username AS intake_username,
                conv.id AS intake_conversation, conv.is_taken_over AS intake_taken_over,
                conv.taken_over_by AS intake_taken_over_by, conv.last_customer_message_at AS intake_window,
                (SELECT id FROM msg) AS intake_message, (SELECT created_at FROM msg) AS intake_message_at,
                (SELECT COALESCE(json_agg(json_build_object(
                        'id', h.id, 'd', h.direction, 'b', h.body, 'x', h.is_deleted, 's', h.send_state,
                        't', EXTRACT(EPOCH FROM h.created_at)) ORDER BY h.created_at, h.id), '[]')
                 FROM (SELECT id, direction, body, is_deleted, send_state, created_at FROM chatbot_messages
                       WHERE client_id = route.client_id AND conversation_id = conv.id
                       ORDER BY created_at DESC, id DESC LIMIT \(max(1, historyLimit))) h) AS intake_history,
                (SELECT COALESCE(json_agg(json_build_object(
                        'id', o.id, 'k', o.send_key, 'b', o.body, 's', o.send_state, 'm', o.mid,
                        'a', EXTRACT(EPOCH FROM (now() - o.created_at))::float8) ORDER BY o.send_key), '[]')
                 FROM chatbot_messages o
                 WHERE o.client_id = route.client_id AND o.direction = 'out' AND o.send_key = ANY(\(replyKeys)))
                    AS intake_reply
            FROM route JOIN client_integrations t ON t.id = route.client_id CROSS JOIN usr CROSS JOIN conv
            """)
        guard let row = rows.first else { return nil }
        return try Self.intake(row, record: record, historyLimit: historyLimit)
    }

    private static func intake(_ row: PostgresRow, record: InboundRecord, historyLimit: Int) throws -> InboundIntake {
        let tenant = try TenantRepository.tenant(row)
        let integrationID = IntegrationID(try row.decode(UUID.self, column: "intake_integration"))
        guard
            let integrationStatus = IntegrationStatus(
                rawValue: try row.decode(String.self, column: "intake_integration_status"))
        else { throw StoreError(.invalidValue, message: "unknown integration status") }
        let route = CrossTenantQueries.Route(
            tenantID: tenant.id, integrationID: integrationID, tier: tenant.tier, tenantStatus: tenant.status,
            integrationStatus: integrationStatus)
        var sealedToken: SealedToken?
        if let bytes = try row.decode([UInt8]?.self, column: "intake_token"),
            let keyID = try row.decode(Int?.self, column: "intake_token_key"),
            let format = try row.decode(Int?.self, column: "intake_token_format")
        {
            sealedToken = SealedToken(ciphertext: bytes, keyID: keyID, formatVersion: format)
        }
        let user = PlatformUser(
            id: try row.decode(UUID.self, column: "intake_user"), tenantID: tenant.id, platform: record.platform,
            platformUserID: record.customerID, username: try row.decode(String?.self, column: "intake_username"))
        let conversationID = try row.decode(UUID.self, column: "intake_conversation")
        let conversation = Conversation(
            id: conversationID, tenantID: tenant.id, integrationID: integrationID, userID: user.id,
            isTakenOver: try row.decode(Bool.self, column: "intake_taken_over"),
            takenOverBy: try row.decode(String?.self, column: "intake_taken_over_by"),
            lastCustomerMessageAt: try row.decode(Date?.self, column: "intake_window"))
        var history = try row.decode(PostgresJSON.self, column: "intake_history").decode(as: [HistoryRow].self)
            .map { history in
                Message(
                    id: history.id, tenantID: tenant.id, conversationID: conversationID,
                    direction: history.d == "out" ? .outbound : .inbound, mid: nil, body: history.b, attachments: [],
                    isAI: false, isDeleted: history.x, sendState: history.s.flatMap(SendState.init(rawValue:)),
                    createdAt: Date(timeIntervalSince1970: history.t))
            }
        let storedID = try row.decode(UUID?.self, column: "intake_message")
        if let storedID {
            history.append(
                Message(
                    id: storedID, tenantID: tenant.id, conversationID: conversationID, direction: .inbound,
                    mid: record.mid, body: record.body, attachments: record.attachmentsJSON, isAI: false,
                    isDeleted: false, sendState: nil,
                    createdAt: try row.decode(Date?.self, column: "intake_message_at") ?? Date()))
            if history.count > historyLimit { history.removeFirst(history.count - max(1, historyLimit)) }
        }
        let parts = try row.decode(PostgresJSON.self, column: "intake_reply").decode(as: [OutboundPart].self)
        return InboundIntake(
            route: route, tenant: tenant, user: user, conversation: conversation, isNew: storedID != nil,
            history: history, replyParts: parts.sorted { partIndex($0.sendKey) < partIndex($1.sendKey) },
            sealedToken: sealedToken)
    }

    /// The part number at the end of a send key (`reply:<mid>:<n>`).
    static func partIndex(_ key: String) -> Int {
        key.split(separator: ":").last.flatMap { Int($0) } ?? 0
    }
}
