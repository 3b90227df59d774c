import Foundation
import HTTP
import Jobs
import Logging
import Meta
import Metrics
import Postgres
import Redis
import ServiceLifecycle
import Store
import TestSupport
import Vault

@testable import Accounts

/// One test's isolated world: a fresh schema with the migrations applied, unique Redis prefixes and job
/// queues, a sandbox process, and the real clients wired as the composition root would.
struct LifecycleWorld: Sendable {
    let pool: PostgresPool
    let repositories: Repositories
    let redis: RedisClient
    let http: HTTPClient
    let sandbox: SandboxProcess
    let vault: Vault
    let oauth: MetaOAuthClient
    let graph: GraphClient
    let catalog: JobCatalog
    let jobs: JobClient
    let queue: String
    let prefix: String
    let logger: Logger

    static let stateKey = Array("0123456789abcdef0123456789abcdef".utf8)

    /// Builds the world, runs `body`, and tears everything down.
    static func with(_ body: @Sendable (LifecycleWorld) async throws -> Void) async throws {
        var logger = Logger(label: "accounts-test")
        logger.logLevel = .critical
        let http = try HTTPClient(logger: logger)
        let sandbox = try await SandboxProcess.start(http: http)
        let redis = RedisClient(configuration: try RedisConfiguration(url: TestEnvironment.redisURL), logger: logger)
        let queue = TestEnvironment.uniqueName("accq")
        do {
            try await withTestPostgres(maximumConnections: 8, logger: logger) { pool, _ in
                _ = try await Migrator(pool: pool, logger: logger).migrate()
                let repositories = Repositories(pool: pool)
                let graphConfiguration = GraphAPIConfiguration(
                    instagramGraphURL: sandbox.baseURL, facebookGraphURL: sandbox.baseURL,
                    instagramAPIURL: sandbox.baseURL, version: "v24.0", timeout: .seconds(10))
                let credentials = MetaAppCredentials(
                    instagramAppID: "990001", instagramAppSecret: "ig-secret", metaAppID: "990002",
                    metaAppSecret: "meta-secret")
                let world = LifecycleWorld(
                    pool: pool, repositories: repositories, redis: redis, http: http, sandbox: sandbox,
                    vault: Vault(masterKey: try MasterKey.generate().key, repositories: repositories, logger: logger),
                    oauth: MetaOAuthClient(
                        http: http, configuration: graphConfiguration, credentials: credentials, logger: logger),
                    graph: GraphClient(http: http, configuration: graphConfiguration, logger: logger),
                    catalog: try Self.catalog(queue: queue),
                    jobs: JobClient(redis: redis, catalog: try Self.catalog(queue: queue), logger: logger),
                    queue: queue, prefix: "test:\(queue):", logger: logger)
                try await body(world)
            }
        } catch {
            await world_cleanUp(redis: redis, queue: queue)
            sandbox.stop()
            await http.shutdown()
            throw error
        }
        await world_cleanUp(redis: redis, queue: queue)
        sandbox.stop()
        await http.shutdown()
    }

    /// The repository's catalog with every job on this test's queue and quick retries.
    /// The jobs this module handles (the worker requires a handler for every catalog entry).
    static let jobNames: Set<String> = ["refresh-tokens", "refresh-token", "send-notice"]

    static func catalog(queue: String) throws -> JobCatalog {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("jobs")
        let loaded = try JobCatalog.load(directory: directory.path)
        return try JobCatalog(
            loaded.definitions.values.filter { Self.jobNames.contains($0.name) }.map { definition in
                var definition = definition
                definition.queue = queue
                definition.backoff = JobDefinition.Backoff(
                    base: .milliseconds(100), maximum: .milliseconds(200), jitter: 0)
                definition.groupRatePerSecond = nil
                return definition
            })
    }

    /// The onboarding service against the sandbox.
    func onboarding(clock: @escaping @Sendable () -> Date = { Date() }, factory: (any MetricsFactory)? = nil)
        throws -> OnboardingService
    {
        let configuration = OnboardingConfiguration(
            publicURL: "https://relay.test", instagramAppID: "990001", metaAppID: "990002",
            instagramWWWURL: sandbox.baseURL, facebookWWWURL: sandbox.baseURL, stateKey: Self.stateKey)
        return try OnboardingService(
            configuration: configuration, stateStore: OAuthStateStore(redis: redis, keyPrefix: prefix), oauth: oauth,
            graph: graph, vault: vault, repositories: repositories, logger: logger, clock: clock,
            metricsFactory: factory)
    }

    func refresher(policy: RefreshPolicy = RefreshPolicy()) -> TokenRefresher {
        TokenRefresher(
            repositories: repositories, vault: vault, oauth: oauth, jobs: jobs, policy: policy, logger: logger)
    }

    func tenant(_ tier: Tier = .starter, name: String = "Shop") async throws -> Tenant {
        try await repositories.tenants.create(name: name, tier: tier, actor: "test")
    }

    func audit(_ tenantID: TenantID?, action: String) async throws -> Int {
        let rows = try await pool.query(
            "SELECT count(*)::bigint FROM audit_log WHERE action = \(action) AND client_id IS NOT DISTINCT FROM \(tenantID?.rawValue)"
        )
        return try rows.first?.decode(Int.self, at: 0) ?? 0
    }

    /// Runs a worker with `registry` on this test's queue until `condition` holds (or 60 s pass).
    func runWorker(_ registry: JobRegistry, until condition: @escaping @Sendable () async throws -> Bool) async throws
        -> Bool
    {
        let worker = try JobWorker(
            redis: redis, catalog: catalog, registry: registry,
            configuration: JobWorkerConfiguration(
                queues: [queue], concurrency: 32, reapInterval: .milliseconds(200), idleWait: .milliseconds(50),
                shutdownGracePeriod: .seconds(5)),
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [.init(service: worker)], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let deadline = ContinuousClock.now + .seconds(60)
            var met = false
            while ContinuousClock.now < deadline {
                if try await condition() {
                    met = true
                    break
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return met
        }
    }
}

/// Deletes every key of the test's job queue.
func world_cleanUp(redis: RedisClient, queue: String) async {
    await RedisTestKeys.deleteQueue(queue, redis: redis)
}
