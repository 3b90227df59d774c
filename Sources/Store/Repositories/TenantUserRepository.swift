public import Foundation
public import Postgres

/// Tenant logins (`tenant_users`). Every lookup but ``findForLogin(email:)`` is scoped by tenant; that one is
/// the login step itself, which maps an e-mail to its single tenant.
///
/// ```swift
/// let users = TenantUserRepository(pool: pool)
/// let user = try await users.create(tenantID: tenant.id, email: "owner@shop.example", actor: "onboarding")
/// let login = try await users.findForLogin(email: "owner@shop.example")
/// ```
public struct TenantUserRepository: Sendable {
    let pool: PostgresPool

    /// Creates the repository over `pool`.
    public init(pool: PostgresPool) { self.pool = pool }

    static let columns = "id, client_id, email, password_hash, created_at, last_login_at"

    static func user(_ row: PostgresRow) throws -> TenantUser {
        let (id, tenant, email, hash, created, lastLogin) = try row.decode(
            (UUID, UUID, String, String?, Date, Date?).self)
        return TenantUser(
            id: id, tenantID: TenantID(tenant), email: email, passwordHash: hash, createdAt: created,
            lastLoginAt: lastLogin)
    }

    /// Creates a login for the tenant (audited `tenant_user.created`; the hash is never audited).
    /// - Parameters:
    ///   - tenantID: the tenant.
    ///   - email: the e-mail address (normalized).
    ///   - passwordHash: an already hashed password, or `nil` (magic link only).
    ///   - actor: who did it, for the audit log.
    /// - Returns: the new user.
    /// - Throws: ``StoreError/Code/invalidValue`` for a bad address, ``StoreError/Code/conflict`` when the
    ///   address is taken, or a `PostgresError`.
    public func create(
        tenantID: TenantID, email: String, passwordHash: String? = nil, actor: String
    ) async throws -> TenantUser {
        guard let email = TenantUser.normalizedEmail(email) else {
            throw StoreError(.invalidValue, message: "not an e-mail address")
        }
        let id = UUID()
        return try await pool.transaction { conn in
            let rows = try conn.query(
                """
                INSERT INTO tenant_users (id, client_id, email, password_hash)
                VALUES (\(id), \(tenantID.rawValue), \(email), \(passwordHash))
                ON CONFLICT (email) DO NOTHING
                RETURNING \(unsafeRaw: Self.columns)
                """)
            guard let row = rows.first else { throw StoreError(.conflict, message: "e-mail address already used") }
            try AuditRepository.append(
                AuditEntry(
                    actor: actor, tenantID: tenantID, action: "tenant_user.created",
                    details: ["user.id": id.uuidString.lowercased()]),
                on: conn)
            return try Self.user(row)
        }
    }

    /// The login with this e-mail, whatever its tenant (the login step), or `nil`.
    /// - Throws: a `PostgresError`.
    public func findForLogin(email: String) async throws -> TenantUser? {
        guard let email = TenantUser.normalizedEmail(email) else { return nil }
        let rows = try await pool.query(
            "SELECT \(unsafeRaw: Self.columns) FROM tenant_users WHERE email = \(email)")
        return try rows.first.map(Self.user)
    }

    /// The tenant's user, or `nil`.
    /// - Throws: a `PostgresError`.
    public func find(tenantID: TenantID, userID: UUID) async throws -> TenantUser? {
        let rows = try await pool.query(
            """
            SELECT \(unsafeRaw: Self.columns) FROM tenant_users
            WHERE client_id = \(tenantID.rawValue) AND id = \(userID)
            """)
        return try rows.first.map(Self.user)
    }

    /// The tenant's users, oldest first.
    /// - Throws: a `PostgresError`.
    public func list(tenantID: TenantID) async throws -> [TenantUser] {
        let rows = try await pool.query(
            """
            SELECT \(unsafeRaw: Self.columns) FROM tenant_users WHERE client_id = \(tenantID.rawValue)
            ORDER BY created_at, id
            """)
        return try rows.map(Self.user)
    }

    /// Sets (or clears, with `nil`) the user's password hash (audited `tenant_user.password_set`).
    /// - Throws: ``StoreError/Code/notFound`` when the user is not the tenant's.
    public func setPasswordHash(_ hash: String?, tenantID: TenantID, userID: UUID, actor: String) async throws {
        try await pool.transaction { conn in
            let rows = try conn.query(
                """
                UPDATE tenant_users SET password_hash = \(hash)
                WHERE client_id = \(tenantID.rawValue) AND id = \(userID)
                """)
            guard rows.affectedRows == 1 else { throw StoreError(.notFound, message: "no user \(userID)") }
            try AuditRepository.append(
                AuditEntry(
                    actor: actor, tenantID: tenantID, action: "tenant_user.password_set",
                    details: ["user.id": userID.uuidString.lowercased(), "cleared": hash == nil ? "true" : "false"]),
                on: conn)
        }
    }

    /// Records a successful login time.
    /// - Throws: ``StoreError/Code/notFound`` when the user is not the tenant's.
    public func recordLogin(at date: Date = Date(), tenantID: TenantID, userID: UUID) async throws {
        let rows = try await pool.query(
            """
            UPDATE tenant_users SET last_login_at = \(date)
            WHERE client_id = \(tenantID.rawValue) AND id = \(userID)
            """)
        guard rows.affectedRows == 1 else { throw StoreError(.notFound, message: "no user \(userID)") }
    }
}
