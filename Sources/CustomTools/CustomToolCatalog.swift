public import Assistant
public import Foundation
public import Logging
public import Store
public import Vault

/// Turns an enterprise tenant's stored tools into assistant tools for one reply.
///
/// ```swift
/// let catalog = CustomToolCatalog(
///     repository: TenantToolRepository(pool: pool), vault: vault, executor: executor, settings: settings,
///     logger: logger)
/// let tools = await catalog.tools(tenantID: tenant, tier: .enterprise, conversationID: id, builtInNames: names)
/// ```
///
/// Only enterprise tenants get any. A tool whose schema is unreadable or whose name collides with a built-in is
/// left out (logged), and a store failure gives no custom tools for this reply rather than failing it. Each
/// tool's signing secret is opened by the vault only when the model calls the tool, and dropped after the call.
public struct CustomToolCatalog: Sendable {
    private let repository: TenantToolRepository
    private let vault: Vault
    private let executor: CustomToolExecutor
    private let settings: CustomToolSettings
    private let logger: Logger
    private let cache: ToolListCache

    /// Creates a catalog.
    /// - Parameters:
    ///   - repository: the stored tools.
    ///   - vault: opens signing secrets.
    ///   - executor: makes the calls.
    ///   - settings: the caps.
    ///   - logger: warnings about tools left out (ids and names only).
    ///   - listLifetime: how long this catalog reuses a tenant's tool list before reading it again (a busy
    ///     worker then reads `tenant_tools` once per tenant per period, not once per reply); `.zero` (the
    ///     default) reads it for every reply. A tool added or disabled shows after at most this long.
    public init(
        repository: TenantToolRepository, vault: Vault, executor: CustomToolExecutor, settings: CustomToolSettings,
        logger: Logger, listLifetime: Duration = .zero
    ) {
        self.cache = ToolListCache(lifetime: listLifetime)
        self.repository = repository
        self.vault = vault
        self.executor = executor
        self.settings = settings
        self.logger = logger
    }

    /// Whether a tier's assistant is offered the tenant's own tools: enterprise only.
    /// - Parameter tier: the tenant's tier.
    /// - Returns: `true` for enterprise.
    public static func offersCustomTools(to tier: Tier) -> Bool { tier == .enterprise }

    /// The tenant's enabled tools as assistant tools, at most ``CustomToolSettings/maximumToolsPerTenant``.
    /// - Parameters:
    ///   - tenantID: the tenant.
    ///   - tier: its tier; anything but enterprise gets none.
    ///   - conversationID: sent with each call.
    ///   - builtInNames: the names of the tools already offered (never shadowed).
    /// - Returns: the tools; empty when none, when not enterprise, or when the store failed.
    public func tools(
        tenantID: TenantID, tier: Tier, conversationID: UUID, builtInNames: [String] = []
    ) async -> [AssistantTool] {
        guard Self.offersCustomTools(to: tier) else { return [] }
        let stored: [TenantTool]
        do {
            stored = try await cache.tools(for: tenantID) {
                try await repository.list(tenantID: tenantID, enabledOnly: true)
            }
        } catch {
            logger.warning(
                "custom tools not loaded",
                metadata: ["tenant.id": "\(tenantID)", "error": "\(String(describing: error).prefix(200))"])
            return []
        }
        var offered: [AssistantTool] = []
        for tool in stored.prefix(settings.maximumToolsPerTenant) {
            if let problem = CustomToolRules.problem(withName: tool.name, builtInNames: builtInNames) {
                logger.warning(
                    "custom tool left out",
                    metadata: ["tool.id": "\(tool.id.uuidString.lowercased())", "reason": "\(problem)"])
                continue
            }
            guard let schema = try? CustomToolRules.parameters(tool.parametersJSON, settings: settings) else {
                logger.warning(
                    "custom tool left out",
                    metadata: ["tool.id": "\(tool.id.uuidString.lowercased())", "reason": "bad schema"])
                continue
            }
            offered.append(assistantTool(tool, schema: schema, conversationID: conversationID))
        }
        return offered
    }

    private func assistantTool(_ tool: TenantTool, schema: JSONValue, conversationID: UUID) -> AssistantTool {
        let vault = self.vault
        let executor = self.executor
        return AssistantTool(name: tool.name, description: tool.description, parameters: schema) { arguments in
            let secret: Secret
            do {
                secret = try await vault.open(
                    tool.sealedSecret, tenantID: tool.tenantID, integrationID: IntegrationID(tool.id),
                    field: TenantTool.secretField)
            } catch {
                throw CustomToolsError(.secretUnavailable, message: "tool \(tool.name) is not available right now")
            }
            return try await executor.execute(
                CustomToolCall(
                    toolName: tool.name, endpointURL: tool.endpointURL, secret: secret,
                    timeout: .milliseconds(tool.timeoutMilliseconds), arguments: arguments,
                    tenantID: "\(tool.tenantID)", conversationID: conversationID.uuidString.lowercased(),
                    callID: AssistantTool.currentCallID ?? "call_\(UUID().uuidString.lowercased())"))
        }
    }
}
