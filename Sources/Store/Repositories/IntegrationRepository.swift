public import Foundation
public import Postgres

/// A tenant's platform integrations (`platform_integrations`). Every call takes the tenant and filters by it,
/// so an id belonging to another tenant is simply not found.
public struct IntegrationRepository: Sendable {
    let pool: PostgresPool

    /// Creates the repository over `pool`.
    public init(pool: PostgresPool) { self.pool = pool }

    static let columns = """
        id, client_id, platform, account_id, account_name, expires_at, scopes, status, last_refreshed_at,
        access_token IS NOT NULL, token_key_id
        """

    static func integration(_ row: PostgresRow) throws -> Integration {
        let (id, tenant, platform, account, name, expires, scopes, status, refreshed, hasToken, keyID) =
            try row.decode(
                (UUID, UUID, String, String, String?, Date?, [String], String, Date?, Bool, Int?).self)
        guard let platform = Platform(rawValue: platform), let status = IntegrationStatus(rawValue: status) else {
            throw StoreError(.invalidValue, message: "unknown platform or status in platform_integrations")
        }
        return Integration(
            id: IntegrationID(id), tenantID: TenantID(tenant), platform: platform, accountID: account,
            accountName: name, expiresAt: expires, scopes: scopes, status: status, lastRefreshedAt: refreshed,
            hasToken: hasToken, tokenKeyID: keyID)
    }

    /// Creates the tenant's integration for a platform account, or returns the existing one (audited
    /// `integration.connected`). Store the token afterwards with ``storeToken(_:tenantID:integrationID:expiresAt:scopes:actor:)``
    /// (the token's AAD needs the integration id).
    /// - Throws: ``StoreError/Code/conflict`` when another tenant already connected this account.
    public func connect(
        tenantID: TenantID, platform: Platform, accountID: String, accountName: String?, actor: String
    ) async throws -> Integration {
        let id = IntegrationID.random()
        return try await pool.transaction { conn in
            let rows = try conn.query(
                """
                INSERT INTO platform_integrations (id, client_id, platform, account_id, account_name)
                VALUES (\(id.rawValue), \(tenantID.rawValue), \(platform.rawValue), \(accountID), \(accountName))
                ON CONFLICT (platform, account_id) DO UPDATE
                    SET account_name = COALESCE(EXCLUDED.account_name, platform_integrations.account_name),
                        status = CASE WHEN platform_integrations.status = 'disabled' THEN 'active'
                                      ELSE platform_integrations.status END,
                        updated_at = now()
                    WHERE platform_integrations.client_id = EXCLUDED.client_id
                RETURNING \(unsafeRaw: Self.columns)
                """)
            guard let row = rows.first else {
                throw StoreError(.conflict, message: "\(platform.rawValue) account is connected to another tenant")
            }
            let integration = try Self.integration(row)
            try AuditRepository.append(
                AuditEntry(
                    actor: actor, tenantID: tenantID, action: "integration.connected",
                    details: ["integration.id": "\(integration.id)", "platform": platform.rawValue]),
                on: conn)
            return integration
        }
    }

    /// The tenant's integration, or `nil` (also when the id belongs to another tenant).
    /// - Throws: a `PostgresError`.
    public func find(tenantID: TenantID, integrationID: IntegrationID) async throws -> Integration? {
        let rows = try await pool.query(
            """
            SELECT \(unsafeRaw: Self.columns) FROM platform_integrations
            WHERE client_id = \(tenantID.rawValue) AND id = \(integrationID.rawValue)
            """)
        return try rows.first.map(Self.integration)
    }

    /// The tenant's integrations.
    /// - Throws: a `PostgresError`.
    public func list(tenantID: TenantID) async throws -> [Integration] {
        let rows = try await pool.query(
            """
            SELECT \(unsafeRaw: Self.columns) FROM platform_integrations
            WHERE client_id = \(tenantID.rawValue) ORDER BY created_at, id
            """)
        return try rows.map(Self.integration)
    }

    /// Stores a sealed token (audited `integration.token_stored`), marks the integration active and
    /// refreshed now.
    /// - Throws: ``StoreError/Code/notFound`` when the integration is not the tenant's.
    public func storeToken(
        _ token: SealedToken, tenantID: TenantID, integrationID: IntegrationID, expiresAt: Date?,
        scopes: [String]? = nil, actor: String
    ) async throws {
        try await pool.transaction { conn in
            let rows = try conn.query(
                """
                UPDATE platform_integrations SET access_token = \(token.ciphertext), token_key_id = \(token.keyID),
                    token_format = \(token.formatVersion), expires_at = \(expiresAt),
                    scopes = COALESCE(\(scopes), scopes), status = 'active', last_refreshed_at = now(),
                    updated_at = now()
                WHERE client_id = \(tenantID.rawValue) AND id = \(integrationID.rawValue)
                """)
            guard rows.affectedRows == 1 else {
                throw StoreError(.notFound, message: "no integration \(integrationID)")
            }
            try AuditRepository.append(
                AuditEntry(
                    actor: actor, tenantID: tenantID, action: "integration.token_stored",
                    details: ["integration.id": "\(integrationID)", "key.id": "\(token.keyID)"]),
                on: conn)
        }
    }

    /// The sealed token, or `nil` when none is stored or the integration is not the tenant's.
    /// - Throws: a `PostgresError`.
    public func sealedToken(tenantID: TenantID, integrationID: IntegrationID) async throws -> SealedToken? {
        let rows = try await pool.query(
            """
            SELECT access_token, token_key_id, token_format FROM platform_integrations
            WHERE client_id = \(tenantID.rawValue) AND id = \(integrationID.rawValue) AND access_token IS NOT NULL
            """)
        guard let row = rows.first else { return nil }
        let (bytes, keyID, format) = try row.decode(([UInt8], Int, Int).self)
        return SealedToken(ciphertext: bytes, keyID: keyID, formatVersion: format)
    }

    /// The tenant's integration together with its sealed token (one query), or `nil` when the integration is
    /// not the tenant's. The token is `nil` when none is stored.
    /// - Throws: a `PostgresError`.
    public func findWithToken(
        tenantID: TenantID, integrationID: IntegrationID
    ) async throws -> (integration: Integration, token: SealedToken?)? {
        let rows = try await pool.query(
            """
            SELECT \(unsafeRaw: Self.columns), access_token, token_format FROM platform_integrations
            WHERE client_id = \(tenantID.rawValue) AND id = \(integrationID.rawValue)
            """)
        guard let row = rows.first else { return nil }
        let integration = try Self.integration(row)
        let bytes = try row.decode([UInt8]?.self, at: 11)
        let format = try row.decode(Int?.self, at: 12)
        guard let bytes, let keyID = integration.tokenKeyID, let format else { return (integration, nil) }
        return (integration, SealedToken(ciphertext: bytes, keyID: keyID, formatVersion: format))
    }

    /// What ``storeRefreshedToken(_:tenantID:integrationID:expiresAt:refreshedBefore:actor:details:)`` did.
    public enum RefreshStoreOutcome: Sendable, Equatable {
        /// The token is stored and audited.
        case stored
        /// The token was sealed under a key that is no longer the active one: seal it again and retry.
        case keyNotActive
        /// Nothing stored: the integration is gone, not the tenant's, no longer active, or another run
        /// refreshed it after `refreshedBefore`.
        case unchanged
    }

    /// Stores a refreshed token and its audit row (`integration.token_refreshed`) in ONE statement (one round
    /// trip, atomic), only while the integration is active, was last refreshed before `refreshedBefore`
    /// (so two concurrent refreshes store once) and `token.keyID` is still the active data key (the key row is
    /// share-locked, so a rotation that demotes it waits for this statement and vice versa).
    /// - Parameters:
    ///   - token: the sealed new token.
    ///   - tenantID: the tenant.
    ///   - integrationID: the integration.
    ///   - expiresAt: the new expiry.
    ///   - refreshedBefore: the store happens only if `last_refreshed_at` is null or earlier.
    ///   - actor: recorded in the audit row.
    ///   - details: the audit row's details (never a secret); `integration.id` and `key.id` are added.
    /// - Returns: what happened.
    /// - Throws: a `PostgresError`.
    public func storeRefreshedToken(
        _ token: SealedToken, tenantID: TenantID, integrationID: IntegrationID, expiresAt: Date?,
        refreshedBefore: Date, actor: String, details: [String: String] = [:]
    ) async throws -> RefreshStoreOutcome {
        var details = details
        details["integration.id"] = integrationID.description
        details["key.id"] = "\(token.keyID)"
        let json = try PostgresJSON(encoding: details)
        let rows = try await pool.query(
            """
            WITH key AS (
                SELECT id FROM encryption_keys WHERE id = \(token.keyID) AND state = 'active' FOR KEY SHARE
            ), updated AS (
                UPDATE platform_integrations SET access_token = \(token.ciphertext), token_key_id = \(token.keyID),
                    token_format = \(token.formatVersion), expires_at = \(expiresAt), last_refreshed_at = now(),
                    updated_at = now()
                WHERE client_id = \(tenantID.rawValue) AND id = \(integrationID.rawValue) AND status = 'active'
                  AND (last_refreshed_at IS NULL OR last_refreshed_at < \(refreshedBefore))
                  AND EXISTS (SELECT 1 FROM key)
                RETURNING id
            ), audit AS (
                INSERT INTO audit_log (actor, client_id, action, details)
                SELECT \(actor), \(tenantID.rawValue), 'integration.token_refreshed', \(json) FROM updated
            )
            SELECT (SELECT count(*) FROM updated)::bigint, (SELECT count(*) FROM key)::bigint
            """)
        let (stored, keyActive) = try rows.first?.decode((Int, Int).self) ?? (0, 0)
        if stored == 1 { return .stored }
        return keyActive == 0 ? .keyNotActive : .unchanged
    }

    /// Changes the status (audited `integration.status_changed`); `disabled` also erases the stored token
    /// (audited as revoked).
    /// - Throws: ``StoreError/Code/notFound`` when the integration is not the tenant's.
    public func setStatus(
        _ status: IntegrationStatus, tenantID: TenantID, integrationID: IntegrationID, actor: String
    ) async throws {
        try await pool.transaction { conn in
            let erase = status == .disabled
            let rows = try conn.query(
                """
                UPDATE platform_integrations SET status = \(status.rawValue), updated_at = now(),
                    access_token = CASE WHEN \(erase) THEN NULL ELSE access_token END,
                    token_key_id = CASE WHEN \(erase) THEN NULL ELSE token_key_id END
                WHERE client_id = \(tenantID.rawValue) AND id = \(integrationID.rawValue)
                """)
            guard rows.affectedRows == 1 else {
                throw StoreError(.notFound, message: "no integration \(integrationID)")
            }
            try AuditRepository.append(
                AuditEntry(
                    actor: actor, tenantID: tenantID,
                    action: erase ? "integration.revoked" : "integration.status_changed",
                    details: ["integration.id": "\(integrationID)", "status": status.rawValue]),
                on: conn)
        }
    }
}
