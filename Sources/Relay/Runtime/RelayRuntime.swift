import Accounts
import Assistant
import Billing
import CustomTools
import Foundation
import HTTP
public import Jobs
public import Logging
import Messaging
import Meta
public import Postgres
public import Redis
public import Store
public import Vault

/// Every shared client of one process, built once from ``Settings``: pools, the HTTP client, the
/// Graph and LLM clients, the vault and the job client. Commands that run long (`work`, `serve`,
/// `schedule`) open one and close it when they stop.
///
/// ```swift
/// let runtime = try RelayRuntime(settings: settings, logger: logger)
/// let registry = try runtime.makeRegistry()
/// ```
public final class RelayRuntime: Sendable {
    /// The settings everything was built from.
    public let settings: Settings
    /// The process's base logger.
    public let logger: Logger
    /// The Redis pool.
    public let redis: RedisClient
    /// The PostgreSQL pool.
    public let pool: PostgresPool
    /// Read-only work (dashboards, exports, reports): the replica when `DATABASE_REPLICA_URL` is set.
    public let readPool: ReadPool
    /// Tenant-scoped repositories over ``pool``.
    public let repositories: Repositories
    /// The job catalog loaded from `jobs/`.
    public let catalog: JobCatalog
    /// Enqueues jobs.
    public let jobs: JobClient
    let http: HTTPClient
    /// A separate client for tenants' tool webhooks (its own timeouts, size cap and CA bundle).
    let toolsHTTP: HTTPClient
    let graphConfiguration: GraphAPIConfiguration

    /// Opens the pools and clients; nothing connects until first use.
    ///
    /// - Throws: ``SettingsError`` naming a bad variable, or the catalog's error naming a bad `jobs/` file.
    public init(settings: Settings, logger: Logger) throws {
        self.settings = settings
        self.logger = logger
        redis = try Relay.openRedis(settings, logger: logger)
        pool = try Relay.openPostgres(settings, logger: logger)
        readPool = try Relay.openReadPool(settings, primary: pool, logger: logger)
        repositories = Repositories(pool: pool)
        catalog = try JobCatalog.load(directory: settings.jobsDirectory)
        jobs = JobClient(redis: redis, catalog: catalog, logger: logger)
        http = try HTTPClient(logger: logger)
        toolsHTTP = try HTTPClient(configuration: settings.customTools.httpConfiguration, logger: logger)
        graphConfiguration = GraphAPIConfiguration(
            instagramGraphURL: settings.graphInstagramURL, facebookGraphURL: settings.graphFacebookURL,
            instagramAPIURL: settings.instagramAPIURL, version: settings.graphVersion)
    }

    /// Closes the pools and stops the HTTP client's thread.
    public func close() async {
        redis.close()
        await readPool.close()
        await pool.close()
        await http.shutdown()
        await toolsHTTP.shutdown()
    }

    /// The vault; fails naming `WOODSTOCK_MASTER_KEY` when the key is missing or invalid.
    public func makeVault() throws -> Vault {
        try Relay.openVault(settings, repositories: repositories, logger: logger)
    }

    /// The Graph API client (send, profile, subscribe).
    func makeGraph() -> GraphClient { GraphClient(http: http, configuration: graphConfiguration, logger: logger) }

    /// The OAuth client (code exchange, long-lived tokens, refresh).
    func makeOAuth() -> MetaOAuthClient {
        MetaOAuthClient(
            http: http, configuration: graphConfiguration,
            credentials: MetaAppCredentials(
                instagramAppID: settings.instagramAppID, instagramAppSecret: settings.instagramAppSecret?.revealed(),
                metaAppID: settings.metaAppID, metaAppSecret: settings.metaAppSecret?.revealed()),
            logger: logger)
    }

    /// The assistant over the configured OpenAI-compatible endpoint.
    func makeAssistant() -> Assistant {
        let configuration = AssistantConfiguration(
            baseURL: settings.llmBaseURL, model: settings.llmModel, apiKey: settings.llmAPIKey?.revealed())
        return Assistant(
            client: ChatCompletionsClient(http: http, configuration: configuration, logger: logger), logger: logger)
    }

    /// Every job handler of the product, registered under the names in `jobs/`.
    ///
    /// - Throws: ``SettingsError`` when a setting the handlers need (the master key) is missing.
    public func makeRegistry() throws -> JobRegistry {
        let vault = try makeVault()
        let meter = UsageMeter(redis: redis)
        let raiser = NoticeRaiser(repositories: repositories, jobs: jobs)
        var registry = JobRegistry()
        MessagingModule.register(
            in: &registry,
            dependencies: MessagingDependencies(
                pool: pool, repositories: repositories, vault: vault, graph: makeGraph(), assistant: makeAssistant(),
                meter: meter,
                notify: { tenantID, kind, period in try await raiser.raise(kind, tenantID: tenantID, period: period) },
                customTools: makeCustomToolProvider(vault: vault), logger: logger))
        AccountsJobs.register(
            in: &registry,
            refresher: TokenRefresher(
                repositories: repositories, vault: vault, oauth: makeOAuth(), jobs: jobs, logger: logger),
            catalog: catalog, reportPool: pool)
        let smtp = settings.smtpURL.map { url in
            SMTPConfiguration(url: url, security: url.hasPrefix("smtps://") ? .requireTLS : .none)
        }
        BillingJobs.register(
            in: &registry,
            folder: UsageFolder(pool: pool, repositories: repositories, meter: meter, raiser: raiser, logger: logger),
            exporter: BillingExporter(pool: pool),
            mailer: NoticeMailer(
                configuration: .init(smtp: smtp, from: settings.smtpFrom, operatorCopy: settings.noticeOperatorEmail),
                http: http, repositories: repositories,
                pool: pool, logger: logger),
            exportDirectory: settings.exportDirectory)
        let resealer = makeToolSecretResealer(vault: vault)
        registry.register("rotate-keys", payload: EmptyPayload.self) { _, context in
            let report = try await vault.rotateDataKeys()
            try await resealer.resealAll()
            context.logger.info(
                "keys rotated", metadata: ["key.id": "\(report.activeKeyID)", "tokens": "\(report.reencrypted)"])
        }
        registry.register("noop", payload: EmptyPayload.self) { _, _ in }
        if catalog.definitions[ProbePayload.jobName] != nil { registerProbe(in: &registry) }
        return registry
    }
}

/// A payload with no fields (`{}`), for jobs that take none.
public struct EmptyPayload: Codable, Sendable {
    /// Creates the empty payload.
    public init() {}
}
