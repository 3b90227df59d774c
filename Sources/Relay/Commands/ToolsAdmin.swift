import Assistant
import CryptoCore
import CustomTools
public import Foundation
public import Logging
import Postgres
public import Store
public import Vault

/// What `woodstock tools …` does: a tenant's own assistant tools (enterprise), called as signed HTTPS webhooks.
/// The command only parses arguments and prints the result.
///
/// The signing secret is generated here (`whsec_` + 64 hex digits from the CSPRNG), sealed by the vault, and
/// returned only by ``add(tenantID:name:description:parametersJSON:url:timeout:)`` and
/// ``rotateSecret(tenantID:name:)`` so the CLI can print it once. Every change is audited.
public struct ToolsAdmin: Sendable {
    private let pool: PostgresPool
    private let repositories: Repositories
    private let tools: TenantToolRepository
    private let vault: Vault
    private let settings: CustomToolSettings
    private let actor: String

    /// Opens a pool and the vault for one CLI invocation.
    /// - Parameters:
    ///   - settings: the process settings (database, master key, custom-tool limits).
    ///   - actor: recorded in the audit log, e.g. `cli`.
    ///   - logger: the logger.
    /// - Throws: ``SettingsError`` naming a bad variable (`DATABASE_URL`, `WOODSTOCK_MASTER_KEY`).
    public init(settings: Settings, actor: String, logger: Logger) throws {
        pool = try Relay.openPostgres(settings, logger: logger)
        repositories = Repositories(pool: pool)
        tools = TenantToolRepository(pool: pool)
        vault = try Relay.openVault(settings, repositories: repositories, logger: logger)
        self.settings = settings.customTools
        self.actor = actor
    }

    /// Closes the pool.
    public func close() async { await pool.close() }

    /// Adds a tool after checking every rule (``CustomToolRules``).
    /// - Parameters:
    ///   - tenantID: the tenant.
    ///   - name: the function name.
    ///   - description: what it does, for the model.
    ///   - parametersJSON: the arguments' JSON Schema.
    ///   - url: the `https://` endpoint.
    ///   - timeout: the call timeout; ``CustomToolSettings/defaultTimeout`` when `nil`.
    /// - Returns: the tool, its generated signing secret (show it once), and whether the tenant's tier offers it.
    /// - Throws: ``CustomToolsError`` for a broken rule, `StoreError` (`notFound`, `conflict`), ``VaultError``.
    public func add(
        tenantID: TenantID, name: String, description: String, parametersJSON: String, url: String,
        timeout: Duration? = nil
    ) async throws -> (tool: TenantTool, secret: Secret, isOffered: Bool) {
        let timeout = timeout ?? settings.defaultTimeout
        let schema = try CustomToolRules.validate(
            name: name, description: description, parametersJSON: parametersJSON, url: url, timeout: timeout,
            settings: settings)
        guard let tenant = try await repositories.tenants.find(tenantID) else {
            throw StoreError(.notFound, message: "no tenant \(tenantID)")
        }
        let id = UUID()
        let secret = try Self.generateSecret()
        let sealed = try await vault.seal(
            secret, tenantID: tenantID, integrationID: IntegrationID(id), field: TenantTool.secretField)
        let tool = try await tools.create(
            NewTenantTool(
                id: id, tenantID: tenantID, name: name, description: description, parametersJSON: schema.jsonString,
                endpointURL: url, sealedSecret: sealed, timeoutMilliseconds: Self.milliseconds(timeout)),
            actor: actor, maximumPerTenant: settings.maximumToolsPerTenant)
        return (tool, secret, CustomToolCatalog.offersCustomTools(to: tenant.tier))
    }

    /// The tenant's tools, by name (never their secrets).
    /// - Throws: a store error.
    public func list(tenantID: TenantID) async throws -> [TenantTool] { try await tools.list(tenantID: tenantID) }

    /// Removes a tool (audited).
    /// - Throws: `StoreError` `notFound`.
    public func remove(tenantID: TenantID, name: String) async throws {
        try await tools.remove(tenantID: tenantID, name: name, actor: actor)
    }

    /// Replaces a tool's signing secret with a new one; the old one stops working at once.
    /// - Returns: the new secret (show it once).
    /// - Throws: `StoreError` `notFound`, ``VaultError``.
    public func rotateSecret(tenantID: TenantID, name: String) async throws -> Secret {
        guard let tool = try await tools.find(tenantID: tenantID, name: name) else {
            throw StoreError(.notFound, message: "no tool named \(name)")
        }
        let secret = try Self.generateSecret()
        let sealed = try await vault.seal(
            secret, tenantID: tenantID, integrationID: IntegrationID(tool.id), field: TenantTool.secretField)
        try await tools.replaceSecret(sealed, tenantID: tenantID, toolID: tool.id, actor: actor)
        return secret
    }

    /// Offers a tool to the assistant again, or stops offering it.
    /// - Throws: `StoreError` `notFound`.
    public func setEnabled(_ enabled: Bool, tenantID: TenantID, name: String) async throws {
        try await tools.setEnabled(enabled, tenantID: tenantID, name: name, actor: actor)
    }

    /// A new signing secret: `whsec_` and 32 random bytes in hex.
    /// - Throws: `CryptoError` when the CSPRNG fails.
    public static func generateSecret() throws -> Secret {
        var bytes = try SecureRandom.bytes(count: 32)
        defer { SecureRandom.wipe(&bytes) }
        return Secret("whsec_" + Hex.encode(bytes))
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}

extension ToolsAdmin {
    /// Renders tools for people (one per line) or scripts (JSON); never a secret.
    /// - Parameters:
    ///   - tools: the tools.
    ///   - json: JSON instead of lines.
    /// - Returns: the text.
    /// - Throws: an encoding error.
    public static func render(_ tools: [TenantTool], json: Bool) throws -> String {
        if json { return try TenantAdmin.jsonString(tools.map(ToolSummary.init)) }
        guard !tools.isEmpty else { return "no tools" }
        return tools.map(renderOne).joined(separator: "\n")
    }

    /// One tool on one line: name, state, timeout, endpoint, description.
    public static func renderOne(_ tool: TenantTool) -> String {
        "\(tool.name)  \(tool.isEnabled ? "enabled" : "disabled")  \(tool.timeoutMilliseconds) ms  "
            + "\(tool.endpointURL)  \(tool.description.prefix(60))"
    }
}

/// The non-secret fields of a tool, as `tools list --json` prints them.
public struct ToolSummary: Encodable, Sendable {
    /// Tool id.
    public let id: String
    /// Function name.
    public let name: String
    /// Description.
    public let description: String
    /// JSON Schema of the arguments.
    public let parameters: String
    /// Endpoint URL.
    public let url: String
    /// Call timeout in milliseconds.
    public let timeoutMs: Int
    /// Whether the assistant is offered it.
    public let enabled: Bool
    /// When it was added.
    public let createdAt: Date
    /// When its secret was last set.
    public let secretRotatedAt: Date

    /// Copies the non-secret fields.
    public init(_ tool: TenantTool) {
        id = tool.id.uuidString.lowercased()
        name = tool.name
        description = tool.description
        parameters = tool.parametersJSON
        url = tool.endpointURL
        timeoutMs = tool.timeoutMilliseconds
        enabled = tool.isEnabled
        createdAt = tool.createdAt
        secretRotatedAt = tool.secretRotatedAt
    }
}
