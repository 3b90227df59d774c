public import Assistant
public import Billing
public import Foundation
public import Logging
public import Meta
public import Postgres
public import Store
public import Vault

/// Raises a notice for a tenant (usage 80 % / 100 %, needs re-authorisation); the notice module decides
/// whether it was already sent for `periodKey`.
public typealias MessagingNoticeHook =
    @Sendable (_ tenantID: TenantID, _ kind: NoticeKind, _ periodKey: String) async throws -> Void

/// Searches a tenant's products for the `search_products` tool; returns text the model reads.
public typealias ProductSearch = @Sendable (_ tenantID: TenantID, _ query: String) async throws -> String

/// An enterprise tenant's own tools (signed webhooks) for one reply, next to the built-in tools named
/// `builtInNames`; returns none for other tiers and never fails the reply (a tool that cannot load is left out).
public typealias CustomToolProvider =
    @Sendable (_ tenantID: TenantID, _ tier: Tier, _ conversationID: UUID, _ builtInNames: [String]) async
    -> [AssistantTool]

/// Everything process-message needs, built once by the composition root.
///
/// ```swift
/// let dependencies = MessagingDependencies(
///     pool: pool, repositories: Repositories(pool: pool), vault: vault, graph: graph,
///     assistant: assistant, meter: UsageMeter(redis: redis), logger: logger)
/// MessagingModule.register(in: &registry, dependencies: dependencies)
/// ```
public struct MessagingDependencies: Sendable {
    /// The pool the repositories use (the send ledger runs its own statements on it).
    public var pool: PostgresPool
    /// The tenant-scoped repositories.
    public var repositories: Repositories
    /// Opens the integration's token only for the duration of a Graph call.
    public var vault: Vault
    /// The Graph API client (send, profile, and the Conversations API read that settles sends in doubt).
    public var graph: GraphClient
    /// The assistant (chat completions with tools).
    public var assistant: Assistant
    /// The atomic usage meter.
    public var meter: UsageMeter
    /// Tunables.
    public var settings: MessagingSettings
    /// Raises notices; `nil` records them with `NoticeRepository.recordOnce` (delivery is the notice module's).
    public var notify: MessagingNoticeHook?
    /// The `search_products` tool; `nil` searches the persona settings `product.<name>` entries.
    public var productSearch: ProductSearch?
    /// The tenant's own tools (enterprise); `nil` offers none.
    public var customTools: CustomToolProvider?
    /// The counters.
    public var metrics: MessagingMetrics
    /// The base logger (each job adds `tenant.id` and `message.mid`).
    public var logger: Logger

    /// Creates the dependencies.
    public init(
        pool: PostgresPool, repositories: Repositories, vault: Vault, graph: GraphClient, assistant: Assistant,
        meter: UsageMeter, settings: MessagingSettings = MessagingSettings(), notify: MessagingNoticeHook? = nil,
        productSearch: ProductSearch? = nil, customTools: CustomToolProvider? = nil,
        metrics: MessagingMetrics = MessagingMetrics(), logger: Logger
    ) {
        self.pool = pool
        self.repositories = repositories
        self.vault = vault
        self.graph = graph
        self.assistant = assistant
        self.meter = meter
        self.settings = settings
        self.notify = notify
        self.productSearch = productSearch
        self.customTools = customTools
        self.metrics = metrics
        self.logger = logger
    }
}
