import Foundation
public import Postgres

/// Tenants (`client_integrations`): the operations behind `woodstock tenants add|list|show|set-tier|
/// set-persona|disable`. Every change is audited in the same transaction.
///
/// ```swift
/// let tenants = TenantRepository(pool: pool)
/// let tenant = try await tenants.create(name: "Acme", tier: .starter, actor: "cli:root")
/// try await tenants.setTier(.professional, tenantID: tenant.id, actor: "cli:root")
/// ```
public struct TenantRepository: Sendable {
    let pool: PostgresPool

    /// Creates the repository over `pool`.
    public init(pool: PostgresPool) { self.pool = pool }

    static let columns = """
        id, name, tier, status, persona_name, persona_instructions, persona_settings, created_at, email,
        notice_email_enabled
        """

    static func tenant(_ row: PostgresRow) throws -> Tenant {
        let (id, name, tier, status, personaName, instructions, settings, createdAt, email, mailed) = try row.decode(
            (UUID, String, String, String, String?, String?, PostgresJSON, Date, String?, Bool).self)
        guard let tier = Tier(rawValue: tier), let status = TenantStatus(rawValue: status) else {
            throw StoreError(.invalidValue, message: "unknown tier or status in client_integrations")
        }
        let persona = Persona(
            name: personaName, instructions: instructions, settings: try settings.decode(as: [String: String].self))
        return Tenant(
            id: TenantID(id), name: name, tier: tier, status: status, persona: persona, createdAt: createdAt,
            email: email, noticeEmailEnabled: mailed)
    }

    /// Creates a tenant (audited `tenant.created`).
    /// - Parameter email: the contact address for notices (optional).
    /// - Throws: ``StoreError/Code/invalidValue`` for an empty name or an invalid address, or a `PostgresError`.
    public func create(
        name: String, tier: Tier = .starter, persona: Persona = Persona(), email: String? = nil, actor: String
    ) async throws -> Tenant {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 200 else {
            throw StoreError(.invalidValue, message: "tenant name must be 1 to 200 characters")
        }
        let email = try email.map(Self.checkedEmail)
        let id = TenantID.random()
        let settings = try PostgresJSON(encoding: persona.settings)
        return try await pool.transaction { conn in
            let rows = try conn.query(
                """
                INSERT INTO client_integrations (id, name, tier, persona_name, persona_instructions, persona_settings,
                    email)
                VALUES (\(id.rawValue), \(trimmed), \(tier.rawValue), \(persona.name), \(persona.instructions),
                        \(settings), \(email))
                RETURNING \(unsafeRaw: Self.columns)
                """)
            try AuditRepository.append(
                AuditEntry(actor: actor, tenantID: id, action: "tenant.created", details: ["tier": tier.rawValue]),
                on: conn)
            guard let row = rows.first else { throw StoreError(.notFound, message: "insert returned no row") }
            return try Self.tenant(row)
        }
    }

    /// The tenant, or `nil`.
    /// - Throws: a `PostgresError`.
    public func find(_ tenantID: TenantID) async throws -> Tenant? {
        let rows = try await pool.query(
            "SELECT \(unsafeRaw: Self.columns) FROM client_integrations WHERE id = \(tenantID.rawValue)")
        return try rows.first.map(Self.tenant)
    }

    /// Every tenant, oldest first. Cross-tenant by nature: for operators (`woodstock tenants list`).
    /// - Throws: a `PostgresError`.
    public func listAllTenants() async throws -> [Tenant] {
        let rows = try await pool.query(
            "SELECT \(unsafeRaw: Self.columns) FROM client_integrations ORDER BY created_at, id")
        return try rows.map(Self.tenant)
    }

    /// Changes the tier (audited `tenant.tier_changed` with the old and new tier).
    /// - Throws: ``StoreError/Code/notFound``, or a `PostgresError`.
    @discardableResult
    public func setTier(_ tier: Tier, tenantID: TenantID, actor: String) async throws -> Tenant {
        try await update(tenantID, actor: actor, action: "tenant.tier_changed", details: ["tier": tier.rawValue]) {
            conn in
            try conn.query(
                """
                UPDATE client_integrations SET tier = \(tier.rawValue), updated_at = now()
                WHERE id = \(tenantID.rawValue) RETURNING \(unsafeRaw: Self.columns)
                """)
        }
    }

    /// Replaces the persona (audited `tenant.persona_changed`; the text itself is not copied to the log).
    /// - Throws: ``StoreError/Code/notFound``, or a `PostgresError`.
    @discardableResult
    public func setPersona(_ persona: Persona, tenantID: TenantID, actor: String) async throws -> Tenant {
        let settings = try PostgresJSON(encoding: persona.settings)
        return try await update(tenantID, actor: actor, action: "tenant.persona_changed", details: [:]) { conn in
            try conn.query(
                """
                UPDATE client_integrations SET persona_name = \(persona.name),
                    persona_instructions = \(persona.instructions), persona_settings = \(settings), updated_at = now()
                WHERE id = \(tenantID.rawValue) RETURNING \(unsafeRaw: Self.columns)
                """)
        }
    }

    /// Sets (or with `nil` clears) the contact address for notices and whether notices are mailed to it
    /// (audited `tenant.email_changed`; the address itself is not copied to the log).
    /// - Parameters:
    ///   - email: the address, or `nil` to remove it.
    ///   - noticesEnabled: whether notices are mailed; `nil` leaves the setting as it is.
    ///   - tenantID: the tenant.
    ///   - actor: recorded in the audit log.
    /// - Returns: the tenant afterwards.
    /// - Throws: ``StoreError/Code/invalidValue`` for an invalid address, ``StoreError/Code/notFound``, or a
    ///   `PostgresError`.
    @discardableResult
    public func setEmail(
        _ email: String?, noticesEnabled: Bool? = nil, tenantID: TenantID, actor: String
    ) async throws -> Tenant {
        let email = try email.map(Self.checkedEmail)
        let details = [
            "email.set": email == nil ? "false" : "true",
            "notices.mailed": noticesEnabled.map { "\($0)" } ?? "unchanged",
        ]
        return try await update(tenantID, actor: actor, action: "tenant.email_changed", details: details) { conn in
            try conn.query(
                """
                UPDATE client_integrations SET email = \(email),
                    notice_email_enabled = COALESCE(\(noticesEnabled), notice_email_enabled), updated_at = now()
                WHERE id = \(tenantID.rawValue) RETURNING \(unsafeRaw: Self.columns)
                """)
        }
    }

    static func checkedEmail(_ address: String) throws -> String {
        let trimmed = address.trimmingCharacters(in: .whitespaces)
        guard Tenant.isValidEmail(trimmed) else {
            throw StoreError(
                .invalidValue, message: "not a plain e-mail address (local@domain, at most 254 characters)")
        }
        return trimmed
    }

    /// Disables the tenant (audited `tenant.disabled`).
    /// - Throws: ``StoreError/Code/notFound``, or a `PostgresError`.
    @discardableResult
    public func disable(_ tenantID: TenantID, actor: String) async throws -> Tenant {
        try await update(tenantID, actor: actor, action: "tenant.disabled", details: [:]) { conn in
            try conn.query(
                """
                UPDATE client_integrations SET status = 'disabled', updated_at = now()
                WHERE id = \(tenantID.rawValue) RETURNING \(unsafeRaw: Self.columns)
                """)
        }
    }

    private func update(
        _ tenantID: TenantID, actor: String, action: String, details: [String: String],
        _ change: @escaping @Sendable (PostgresConnection) throws -> PostgresRows
    ) async throws -> Tenant {
        try await pool.transaction { conn in
            guard let row = try change(conn).first else {
                throw StoreError(.notFound, message: "no tenant \(tenantID)")
            }
            try AuditRepository.append(
                AuditEntry(actor: actor, tenantID: tenantID, action: action, details: details), on: conn)
            return try Self.tenant(row)
        }
    }
}
