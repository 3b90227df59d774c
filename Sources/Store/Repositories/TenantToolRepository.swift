public import Foundation
public import Postgres

/// A tenant's own assistant tools (`tenant_tools`). Every call takes the tenant and filters by it, so a tool of
/// another tenant is simply not found. Changes are audited (`tool.added`, `tool.removed`, `tool.secret_rotated`,
/// `tool.enabled`, `tool.disabled`) with ids and names only, never a secret.
///
/// ```swift
/// let tools = TenantToolRepository(pool: pool)
/// let offered = try await tools.list(tenantID: tenant, enabledOnly: true)
/// ```
public struct TenantToolRepository: Sendable {
    let pool: PostgresPool

    /// Creates the repository over `pool`.
    public init(pool: PostgresPool) { self.pool = pool }

    static let columns = """
        id, client_id, name, description, parameters::text, endpoint_url, signing_secret, secret_key_id,
        secret_format, timeout_ms, enabled, created_at, secret_rotated_at
        """

    static func tool(_ row: PostgresRow) throws -> TenantTool {
        let (
            id, tenant, name, description, parameters, url, secret, keyID, format, timeout, enabled, created, rotated
        ) =
            try row.decode((UUID, UUID, String, String, String, String, [UInt8], Int, Int, Int, Bool, Date, Date).self)
        return TenantTool(
            id: id, tenantID: TenantID(tenant), name: name, description: description, parametersJSON: parameters,
            endpointURL: url, sealedSecret: SealedToken(ciphertext: secret, keyID: keyID, formatVersion: format),
            timeoutMilliseconds: timeout, isEnabled: enabled, createdAt: created, secretRotatedAt: rotated)
    }

    /// Adds a tool (audited `tool.added`), at most `maximumPerTenant` per tenant.
    /// - Parameters:
    ///   - tool: the values; its secret must already be sealed for (`tenantID`, `id`).
    ///   - actor: recorded in the audit log.
    ///   - maximumPerTenant: the cap on a tenant's tools.
    /// - Returns: the stored tool.
    /// - Throws: ``StoreError/Code/notFound`` for an unknown tenant, ``StoreError/Code/conflict`` when the
    ///   tenant already has a tool of that name or reached the cap, ``StoreError/Code/invalidValue`` when a
    ///   column check fails (name, description, URL, timeout).
    public func create(_ tool: NewTenantTool, actor: String, maximumPerTenant: Int) async throws -> TenantTool {
        do {
            return try await pool.transaction { conn in
                // Locking the tenant row serialises concurrent adds, so the cap holds.
                let tenant = try conn.query(
                    "SELECT id FROM client_integrations WHERE id = \(tool.tenantID.rawValue) FOR UPDATE")
                guard !tenant.isEmpty else { throw StoreError(.notFound, message: "no tenant \(tool.tenantID)") }
                let count =
                    try conn.query(
                        "SELECT count(*)::bigint FROM tenant_tools WHERE client_id = \(tool.tenantID.rawValue)"
                    ).first?.decode(Int.self, at: 0) ?? 0
                guard count < maximumPerTenant else {
                    throw StoreError(
                        .conflict, message: "the tenant already has \(count) tools (at most \(maximumPerTenant))")
                }
                let rows = try conn.query(
                    """
                    INSERT INTO tenant_tools (id, client_id, name, description, parameters, endpoint_url,
                        signing_secret, secret_key_id, secret_format, timeout_ms)
                    VALUES (\(tool.id), \(tool.tenantID.rawValue), \(tool.name), \(tool.description),
                        \(PostgresJSON(bytes: Array(tool.parametersJSON.utf8))), \(tool.endpointURL),
                        \(tool.sealedSecret.ciphertext), \(tool.sealedSecret.keyID), \(tool.sealedSecret.formatVersion),
                        \(tool.timeoutMilliseconds))
                    RETURNING \(unsafeRaw: Self.columns)
                    """)
                guard let row = rows.first else {
                    throw StoreError(.invalidValue, message: "tool insert returned nothing")
                }
                let stored = try Self.tool(row)
                try AuditRepository.append(
                    AuditEntry(
                        actor: actor, tenantID: tool.tenantID, action: "tool.added",
                        details: [
                            "tool.id": tool.id.uuidString.lowercased(), "tool.name": tool.name,
                            "key.id": "\(tool.sealedSecret.keyID)",
                        ]),
                    on: conn)
                return stored
            }
        } catch let error as PostgresError where error.isUniqueViolation {
            throw StoreError(.conflict, message: "the tenant already has a tool named \(tool.name)")
        } catch let error as PostgresError where error.isCheckViolation {
            throw StoreError(.invalidValue, message: "tool rejected by check \(error.constraintName ?? "?")")
        }
    }

    /// The tenant's tools, by name.
    /// - Parameters:
    ///   - tenantID: the tenant.
    ///   - enabledOnly: only the tools the assistant is offered.
    /// - Returns: the tools (with their sealed secrets).
    /// - Throws: a `PostgresError`.
    public func list(tenantID: TenantID, enabledOnly: Bool = false) async throws -> [TenantTool] {
        let rows = try await pool.query(
            """
            SELECT \(unsafeRaw: Self.columns) FROM tenant_tools
            WHERE client_id = \(tenantID.rawValue) AND (enabled OR NOT \(enabledOnly)) ORDER BY name
            """)
        return try rows.map(Self.tool)
    }

    /// The tenant's tool called `name`, or `nil`.
    /// - Throws: a `PostgresError`.
    public func find(tenantID: TenantID, name: String) async throws -> TenantTool? {
        let rows = try await pool.query(
            "SELECT \(unsafeRaw: Self.columns) FROM tenant_tools WHERE client_id = \(tenantID.rawValue) AND name = \(name)"
        )
        return try rows.first.map(Self.tool)
    }

    /// Deletes the tenant's tool called `name` (audited `tool.removed`).
    /// - Throws: ``StoreError/Code/notFound`` when the tenant has no such tool.
    public func remove(tenantID: TenantID, name: String, actor: String) async throws {
        try await pool.transaction { conn in
            let rows = try conn.query(
                "DELETE FROM tenant_tools WHERE client_id = \(tenantID.rawValue) AND name = \(name) RETURNING id")
            guard let row = rows.first else { throw StoreError(.notFound, message: "no tool named \(name)") }
            let id = try row.decode(UUID.self, at: 0)
            try AuditRepository.append(
                AuditEntry(
                    actor: actor, tenantID: tenantID, action: "tool.removed",
                    details: ["tool.id": id.uuidString.lowercased(), "tool.name": name]),
                on: conn)
        }
    }

    /// Replaces the tool's sealed signing secret (audited `tool.secret_rotated`); the old secret stops working
    /// at once.
    /// - Parameters:
    ///   - sealed: the new secret, sealed for (`tenantID`, `toolID`).
    ///   - tenantID: the tenant.
    ///   - toolID: the tool's id.
    ///   - actor: recorded in the audit log.
    /// - Throws: ``StoreError/Code/notFound`` when the tenant has no such tool.
    public func replaceSecret(_ sealed: SealedToken, tenantID: TenantID, toolID: UUID, actor: String) async throws {
        try await pool.transaction { conn in
            let rows = try conn.query(
                """
                UPDATE tenant_tools SET signing_secret = \(sealed.ciphertext), secret_key_id = \(sealed.keyID),
                    secret_format = \(sealed.formatVersion), secret_rotated_at = now()
                WHERE client_id = \(tenantID.rawValue) AND id = \(toolID)
                """)
            guard rows.affectedRows == 1 else {
                throw StoreError(.notFound, message: "no tool \(toolID.uuidString.lowercased())")
            }
            try AuditRepository.append(
                AuditEntry(
                    actor: actor, tenantID: tenantID, action: "tool.secret_rotated",
                    details: ["tool.id": toolID.uuidString.lowercased(), "key.id": "\(sealed.keyID)"]),
                on: conn)
        }
    }

    /// Offers the tool to the assistant or stops offering it (audited `tool.enabled` / `tool.disabled`).
    /// - Throws: ``StoreError/Code/notFound`` when the tenant has no such tool.
    public func setEnabled(_ enabled: Bool, tenantID: TenantID, name: String, actor: String) async throws {
        try await pool.transaction { conn in
            let rows = try conn.query(
                """
                UPDATE tenant_tools SET enabled = \(enabled)
                WHERE client_id = \(tenantID.rawValue) AND name = \(name) RETURNING id
                """)
            guard let row = rows.first else { throw StoreError(.notFound, message: "no tool named \(name)") }
            let id = try row.decode(UUID.self, at: 0)
            try AuditRepository.append(
                AuditEntry(
                    actor: actor, tenantID: tenantID, action: enabled ? "tool.enabled" : "tool.disabled",
                    details: ["tool.id": id.uuidString.lowercased(), "tool.name": name]),
                on: conn)
        }
    }

    /// Tools of every tenant whose secret is sealed under a key other than `keyID`, in id order after `after`
    /// (a system operation: the rotate-keys sweep re-seals them under the active key).
    /// - Parameters:
    ///   - keyID: the active key.
    ///   - after: the last id of the previous batch, or `nil`.
    ///   - limit: the batch size.
    /// - Returns: the tools.
    /// - Throws: a `PostgresError`.
    public func sealedUnderOtherKeys(than keyID: Int, after: UUID?, limit: Int) async throws -> [TenantTool] {
        let rows = try await pool.query(
            """
            SELECT \(unsafeRaw: Self.columns) FROM tenant_tools
            WHERE secret_key_id <> \(keyID) AND (\(after)::uuid IS NULL OR id > \(after)::uuid) ORDER BY id
            LIMIT \(limit)
            """)
        return try rows.map(Self.tool)
    }

    /// Stores a re-sealed secret unless the row changed meanwhile (its key is no longer `previousKeyID`).
    /// - Returns: whether the row was updated.
    /// - Throws: a `PostgresError`.
    public func storeResealed(
        _ sealed: SealedToken, tenantID: TenantID, toolID: UUID, previousKeyID: Int
    ) async throws -> Bool {
        let rows = try await pool.query(
            """
            UPDATE tenant_tools SET signing_secret = \(sealed.ciphertext), secret_key_id = \(sealed.keyID),
                secret_format = \(sealed.formatVersion)
            WHERE client_id = \(tenantID.rawValue) AND id = \(toolID) AND secret_key_id = \(previousKeyID)
            """)
        return rows.affectedRows == 1
    }
}
