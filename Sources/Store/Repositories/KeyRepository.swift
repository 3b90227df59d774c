public import Foundation
public import Postgres

/// Wrapped data keys (`encryption_keys`) and the batched token re-encryption that rotation needs.
/// System-wide (not tenant-scoped) by nature; used only by `Vault`. Every key event is audited.
public struct KeyRepository: Sendable {
    let pool: PostgresPool

    /// Creates the repository over `pool`.
    public init(pool: PostgresPool) { self.pool = pool }

    static let columns = "id, wrapped_key, master_key_id, state, created_at"

    static func key(_ row: PostgresRow) throws -> StoredDataKey {
        let (id, wrapped, master, state, created) = try row.decode((Int, [UInt8], String, String, Date).self)
        guard let state = DataKeyState(rawValue: state) else { throw StoreError(.invalidValue, message: "key state") }
        return StoredDataKey(id: id, wrappedKey: wrapped, masterKeyID: master, state: state, createdAt: created)
    }

    /// Every data key, oldest first.
    /// - Throws: a `PostgresError`.
    public func allKeys() async throws -> [StoredDataKey] {
        try await pool.query("SELECT \(unsafeRaw: Self.columns) FROM encryption_keys ORDER BY id").map(Self.key)
    }

    /// The key with this id, or `nil`.
    /// - Throws: a `PostgresError`.
    public func find(id: Int) async throws -> StoredDataKey? {
        try await pool.query("SELECT \(unsafeRaw: Self.columns) FROM encryption_keys WHERE id = \(id)").first.map(
            Self.key)
    }

    /// The active key, or `nil` before the first one is created.
    /// - Throws: a `PostgresError`.
    public func activeKey() async throws -> StoredDataKey? {
        try await pool.query("SELECT \(unsafeRaw: Self.columns) FROM encryption_keys WHERE state = 'active'").first
            .map(Self.key)
    }

    /// What ``beginRotation(wrappedKey:masterKeyID:actor:)`` decided.
    public struct RotationPlan: Sendable, Equatable {
        /// The key every token must end up under.
        public let target: StoredDataKey
        /// Whether this call created `target` (false: an unfinished rotation is being resumed).
        public let createdKey: Bool
    }

    /// Under a transaction-scoped advisory lock: if keys are still `retiring` (an earlier run was interrupted),
    /// resumes that rotation; otherwise demotes the active key to `retiring` and inserts `wrappedKey` as the new
    /// active key (audited `key.created`). Safe to call from two processes at once.
    /// - Throws: a `PostgresError`.
    public func beginRotation(wrappedKey: [UInt8], masterKeyID: String, actor: String) async throws -> RotationPlan {
        try await pool.transaction { conn in
            try conn.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.woodstock.rotate-keys'))")
            let keys = try conn.query("SELECT \(unsafeRaw: Self.columns) FROM encryption_keys FOR UPDATE").map(Self.key)
            if keys.contains(where: { $0.state == .retiring }), let active = keys.first(where: { $0.state == .active })
            {
                return RotationPlan(target: active, createdKey: false)
            }
            try conn.query("UPDATE encryption_keys SET state = 'retiring' WHERE state = 'active'")
            let created = try Self.insertActive(wrappedKey: wrappedKey, masterKeyID: masterKeyID, actor: actor, conn)
            return RotationPlan(target: created, createdKey: true)
        }
    }

    /// Inserts the first active key if there is none (audited `key.created`); returns the active key.
    /// - Throws: a `PostgresError`.
    public func ensureActiveKey(wrappedKey: [UInt8], masterKeyID: String, actor: String) async throws -> StoredDataKey {
        try await pool.transaction { conn in
            try conn.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.woodstock.rotate-keys'))")
            if let row = try conn.query("SELECT \(unsafeRaw: Self.columns) FROM encryption_keys WHERE state = 'active'")
                .first
            {
                return try Self.key(row)
            }
            return try Self.insertActive(wrappedKey: wrappedKey, masterKeyID: masterKeyID, actor: actor, conn)
        }
    }

    private static func insertActive(
        wrappedKey: [UInt8], masterKeyID: String, actor: String, _ conn: PostgresConnection
    ) throws -> StoredDataKey {
        let rows = try conn.query(
            """
            INSERT INTO encryption_keys (wrapped_key, master_key_id, state) VALUES (\(wrappedKey), \(masterKeyID), 'active')
            RETURNING \(unsafeRaw: columns)
            """)
        guard let row = rows.first else { throw StoreError(.notFound, message: "insert returned no row") }
        let key = try Self.key(row)
        try AuditRepository.append(
            AuditEntry(
                actor: actor, tenantID: nil, action: "key.created",
                details: ["key.id": "\(key.id)", "master_key.id": masterKeyID]),
            on: conn)
        return key
    }

    /// Re-encrypts up to `limit` tokens not yet under `targetKeyID`, in one transaction: locks them
    /// (`FOR UPDATE SKIP LOCKED`, so concurrent runs take different rows), calls `transform` on the
    /// connection's thread, and writes the results back in one `UPDATE … FROM unnest(…)`.
    /// `after`/`before` bound the walk to an id range in id order (so successive batches never rescan);
    /// without them any remaining tokens are taken.
    /// - Returns: how many tokens were re-encrypted (0 when none is left) and the last id taken.
    /// - Throws: what `transform` throws, or a `PostgresError`; the batch is then rolled back.
    public func reencryptBatch(
        targetKeyID: Int, limit: Int, after: UUID? = nil, before: UUID? = nil,
        transform: @escaping @Sendable ([StoredTokenRow]) throws -> [SealedToken]
    ) async throws -> (count: Int, lastID: UUID?) {
        try await pool.transaction { conn in
            // A batch lost in a crash is simply re-done by the next run, so it need not wait for the WAL flush.
            try conn.query("SET LOCAL synchronous_commit = off")
            let oldKeys = try conn.query("SELECT id FROM encryption_keys WHERE id <> \(targetKeyID)")
                .map { Int64(try $0.decode(Int.self, at: 0)) }
            // With bounds: a keyset walk over the primary key (no rescans); without: any remaining rows.
            let ordered = after != nil || before != nil
            let rows = try conn.query(
                """
                SELECT id, client_id, access_token, token_key_id, token_format FROM platform_integrations
                WHERE token_key_id = ANY(\(oldKeys))
                  AND (\(after)::uuid IS NULL OR id > \(after)) AND (\(before)::uuid IS NULL OR id < \(before))
                \(unsafeRaw: ordered ? "ORDER BY id" : "") LIMIT \(limit) FOR UPDATE SKIP LOCKED
                """)
            guard !rows.isEmpty else { return (0, nil) }
            let tokens = try rows.map { row in
                let (id, tenant, bytes, keyID, format) = try row.decode((UUID, UUID, [UInt8], Int, Int).self)
                return StoredTokenRow(
                    integrationID: IntegrationID(id), tenantID: TenantID(tenant),
                    sealed: SealedToken(ciphertext: bytes, keyID: keyID, formatVersion: format))
            }
            let sealed = try transform(tokens)
            guard sealed.count == tokens.count, sealed.allSatisfy({ $0.keyID == targetKeyID }) else {
                throw StoreError(.invalidValue, message: "re-encryption returned tokens under the wrong key")
            }
            let updated = try conn.query(
                """
                UPDATE platform_integrations p SET access_token = v.token, token_key_id = \(targetKeyID),
                    token_format = v.format
                FROM unnest(\(tokens.map(\.integrationID.rawValue)), \(sealed.map(\.ciphertext)),
                            \(sealed.map { Int64($0.formatVersion) })) AS v(id, token, format)
                WHERE p.id = v.id
                """)
            return (updated.affectedRows, tokens.last?.integrationID.rawValue)
        }
    }

    /// Retires every `retiring` key that no token uses any more (audited `key.retired`).
    /// - Returns: the ids retired, and how many tokens still sit under keys that stay `retiring`.
    /// - Throws: a `PostgresError`.
    public func retireUnusedKeys(actor: String) async throws -> (retired: [Int], remaining: Int) {
        try await pool.transaction { conn in
            try conn.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.woodstock.rotate-keys'))")
            let retired = try conn.query(
                """
                UPDATE encryption_keys k SET state = 'retired', retired_at = now()
                WHERE state = 'retiring'
                  AND NOT EXISTS (SELECT 1 FROM platform_integrations p WHERE p.token_key_id = k.id)
                RETURNING id
                """
            ).map { try $0.decode(Int.self, at: 0) }
            for id in retired {
                try AuditRepository.append(
                    AuditEntry(actor: actor, tenantID: nil, action: "key.retired", details: ["key.id": "\(id)"]),
                    on: conn)
            }
            let remaining =
                try conn.query(
                    """
                    SELECT count(*) FROM platform_integrations p JOIN encryption_keys k ON k.id = p.token_key_id
                    WHERE k.state <> 'active'
                    """
                ).first?.decode(Int.self, at: 0) ?? 0
            return (retired, remaining)
        }
    }

    /// Replaces the wrapping of every data key in one transaction (master-key rotation; audited `key.rewrapped`).
    /// `rewrap` gets every key (locked) and returns the new wrapped bytes and master key id for each.
    /// - Throws: what `rewrap` throws, or a `PostgresError`; nothing changes then.
    public func rewrapAll(
        actor: String,
        rewrap: @escaping @Sendable ([StoredDataKey]) throws -> [(id: Int, wrappedKey: [UInt8], masterKeyID: String)]
    ) async throws -> Int {
        try await pool.transaction { conn in
            try conn.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.woodstock.rotate-keys'))")
            let keys = try conn.query("SELECT \(unsafeRaw: Self.columns) FROM encryption_keys ORDER BY id FOR UPDATE")
                .map(Self.key)
            for item in try rewrap(keys) {
                try conn.query(
                    """
                    UPDATE encryption_keys SET wrapped_key = \(item.wrappedKey), master_key_id = \(item.masterKeyID)
                    WHERE id = \(item.id)
                    """)
                try AuditRepository.append(
                    AuditEntry(
                        actor: actor, tenantID: nil, action: "key.rewrapped",
                        details: ["key.id": "\(item.id)", "master_key.id": item.masterKeyID]),
                    on: conn)
            }
            return keys.count
        }
    }

    /// How many stored tokens are sealed under each key id.
    /// - Throws: a `PostgresError`.
    public func tokenCountsByKey() async throws -> [Int: Int] {
        let rows = try await pool.query(
            "SELECT token_key_id, count(*) FROM platform_integrations WHERE token_key_id IS NOT NULL GROUP BY 1")
        var counts: [Int: Int] = [:]
        for row in rows {
            let (id, count) = try row.decode((Int, Int).self)
            counts[id] = count
        }
        return counts
    }
}
