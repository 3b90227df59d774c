public import Foundation
public import Logging
import Postgres
public import Store

/// What `woodstock tenants …` does; the command only parses arguments and prints the result.
public struct TenantAdmin: Sendable {
    private let pool: PostgresPool
    private let repositories: Repositories
    private let actor: String

    /// Opens a pool for one CLI invocation.
    ///
    /// - Parameter actor: recorded in the audit log, e.g. `cli:root`.
    public init(settings: Settings, actor: String, logger: Logger) throws {
        pool = try Relay.openPostgres(settings, logger: logger)
        repositories = Repositories(pool: pool)
        self.actor = actor
    }

    /// Closes the pool.
    public func close() async { await pool.close() }

    /// Creates a tenant, optionally with its contact address for notices.
    public func add(name: String, tier: Tier, persona: Persona, email: String? = nil) async throws -> Tenant {
        try await repositories.tenants.create(name: name, tier: tier, persona: persona, email: email, actor: actor)
    }

    /// Sets or clears the tenant's contact address for notices, and optionally whether notices are mailed (audited).
    public func setEmail(_ email: String?, noticesEnabled: Bool?, for id: TenantID) async throws -> Tenant {
        try await repositories.tenants.setEmail(email, noticesEnabled: noticesEnabled, tenantID: id, actor: actor)
    }

    /// Every tenant, newest last.
    public func list() async throws -> [Tenant] { try await repositories.tenants.listAllTenants() }

    /// One tenant with its integrations (never their tokens).
    public func show(_ id: TenantID) async throws -> (Tenant, [Integration]) {
        guard let tenant = try await repositories.tenants.find(id) else {
            throw StoreError(.notFound, message: "no tenant \(id)")
        }
        return (tenant, try await repositories.integrations.list(tenantID: id))
    }

    /// Changes the tier (audited).
    public func setTier(_ tier: Tier, for id: TenantID) async throws -> Tenant {
        try await repositories.tenants.setTier(tier, tenantID: id, actor: actor)
    }

    /// Replaces the persona (audited).
    public func setPersona(_ persona: Persona, for id: TenantID) async throws -> Tenant {
        try await repositories.tenants.setPersona(persona, tenantID: id, actor: actor)
    }

    /// Disables the tenant: no more AI replies (audited).
    public func disable(_ id: TenantID) async throws -> Tenant {
        try await repositories.tenants.disable(id, actor: actor)
    }

    /// Renders tenants for people (a table) or scripts (JSON).
    public static func render(_ tenants: [Tenant], json: Bool) throws -> String {
        if json { return try jsonString(tenants) }
        var lines = ["ID                                    TIER          STATUS    NAME"]
        for tenant in tenants {
            lines.append(
                "\(tenant.id)  \(tenant.tier.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0))  "
                    + "\(tenant.status.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0))  \(tenant.name)")
        }
        return lines.joined(separator: "\n")
    }

    /// Encodes any value as pretty, key-sorted JSON.
    public static func jsonString(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

extension TenantAdmin {
    /// One tenant on one line.
    public static func renderOne(_ tenant: Tenant) -> String {
        "\(tenant.id)  \(tenant.tier.rawValue)  \(tenant.status.rawValue)  \(tenant.name)"
            + (tenant.persona.name.map { "  persona=\($0)" } ?? "")
            + (tenant.email.map { "  email=\($0)\(tenant.noticeEmailEnabled ? "" : " (notices not mailed)")" } ?? "")
    }

    /// One integration on one line: platform, account, status and days to expiry; never the token.
    public static func renderOne(_ integration: Integration) -> String {
        let expiry =
            integration.expiresAt.map { "expires in \(Int($0.timeIntervalSinceNow / 86_400)) days" } ?? "no expiry"
        return "\(integration.platform.rawValue)  \(integration.accountID)  \(integration.status.rawValue)  \(expiry)"
            + "  scopes=\(integration.scopes.joined(separator: ","))"
    }
}

/// A tenant with its integrations as `tenants show --json` prints it (token-free).
public struct TenantDetail: Encodable, Sendable {
    /// The tenant.
    public let tenant: Tenant
    /// Its integrations, without tokens.
    public let integrations: [IntegrationSummary]

    /// Creates the printable detail.
    public init(tenant: Tenant, integrations: [Integration]) {
        self.tenant = tenant
        self.integrations = integrations.map(IntegrationSummary.init)
    }
}

/// The non-secret fields of an integration.
public struct IntegrationSummary: Encodable, Sendable {
    /// Integration id.
    public let id: String
    /// instagram, facebook or webchat.
    public let platform: String
    /// The platform's account id (what webhooks carry in `entry[].id`).
    public let accountID: String
    /// active, needs_reauth or disabled.
    public let status: String
    /// When the token expires.
    public let expiresAt: Date?
    /// Granted scopes.
    public let scopes: [String]

    /// Copies the non-secret fields.
    public init(_ integration: Integration) {
        id = "\(integration.id)"
        platform = integration.platform.rawValue
        accountID = integration.accountID
        status = integration.status.rawValue
        expiresAt = integration.expiresAt
        scopes = integration.scopes
    }
}
