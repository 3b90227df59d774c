import Foundation
import HTTP
import Jobs
import Logging
import Postgres
import Redis
import ServiceLifecycle
import Store
import TestSupport

@testable import Billing

/// One test's isolated Billing world: migrated schema, unique meter prefix and job queue, real clients.
struct BillingWorld: Sendable {
    let pool: PostgresPool
    let repositories: Repositories
    let redis: RedisClient
    let meter: UsageMeter
    let catalog: JobCatalog
    let jobs: JobClient
    let queue: String
    let logger: Logger

    static func with(_ body: @Sendable (BillingWorld) async throws -> Void) async throws {
        var logger = Logger(label: "billing-test")
        logger.logLevel = .critical
        let redis = RedisClient(configuration: try RedisConfiguration(url: TestEnvironment.redisURL), logger: logger)
        let queue = TestEnvironment.uniqueName("billq")
        let prefix = "test:\(queue):usage"
        defer { redis.close() }
        do {
            try await withTestPostgres(maximumConnections: 6, logger: logger) { pool, _ in
                _ = try await Migrator(pool: pool, logger: logger).migrate()
                let catalog = try Self.catalog(queue: queue)
                try await body(
                    BillingWorld(
                        pool: pool, repositories: Repositories(pool: pool), redis: redis,
                        meter: UsageMeter(redis: redis, keyPrefix: prefix), catalog: catalog,
                        jobs: JobClient(redis: redis, catalog: catalog, logger: logger), queue: queue, logger: logger))
            }
        } catch {
            await cleanUp(redis: redis, queue: queue, prefix: prefix)
            throw error
        }
        await cleanUp(redis: redis, queue: queue, prefix: prefix)
    }

    /// The jobs this module handles (the worker requires a handler for every catalog entry).
    static let jobNames: Set<String> = ["meter-usage", "export-billing", "send-notice"]

    static func catalog(queue: String) throws -> JobCatalog {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("jobs")
        return try JobCatalog(
            try JobCatalog.load(directory: directory.path).definitions.values.filter { Self.jobNames.contains($0.name) }
                .map { definition in
                    var definition = definition
                    definition.queue = queue
                    definition.backoff = JobDefinition.Backoff(
                        base: .milliseconds(100), maximum: .milliseconds(200), jitter: 0)
                    definition.groupRatePerSecond = nil
                    return definition
                })
    }

    static func cleanUp(redis: RedisClient, queue: String, prefix: String) async {
        await RedisTestKeys.deleteQueue(queue, redis: redis)
        await RedisTestKeys.delete(matching: "\(prefix)*", redis: redis)
    }

    var folder: UsageFolder {
        UsageFolder(
            pool: pool, repositories: repositories, meter: meter,
            raiser: NoticeRaiser(repositories: repositories, jobs: jobs), logger: logger)
    }

    func tenant(_ tier: Store.Tier, name: String, email: String? = nil) async throws -> Tenant {
        try await repositories.tenants.create(name: name, tier: tier, email: email, actor: "test")
    }

    /// Counts `n` distinct messages for the tenant (limit given explicitly, so tests need not send 1,000).
    func count(_ tenant: Tenant, _ n: Int, limit: Int?, at date: Date = Date()) async throws {
        for index in 0..<n {
            _ = try await meter.checkAndCount(
                tenantID: tenant.id.description, limit: limit, messageID: "m\(index)-\(UUID().uuidString)", at: date)
        }
    }

    func ledger(_ tenant: Tenant, _ period: MeterPeriod) async throws -> UsageRecord? {
        try await repositories.usage.find(tenantID: tenant.id, period: period.description)
    }

    /// Whether this test's queue has nothing waiting, running, scheduled or retrying.
    func isQueueIdle() async throws -> Bool {
        let stats = try await JobQueueAdmin(redis: redis).stats(queues: [queue])[0]
        return stats.depth == 0 && stats.running == 0 && stats.scheduled == 0 && stats.retries == 0
    }

    /// Runs a worker with `registry` on this test's queue until `condition` holds (or 60 s pass).
    func runWorker(_ registry: JobRegistry, until condition: @escaping @Sendable () async throws -> Bool) async throws
        -> Bool
    {
        let worker = try JobWorker(
            redis: redis, catalog: catalog, registry: registry,
            configuration: JobWorkerConfiguration(
                queues: [queue], concurrency: 8, reapInterval: .milliseconds(200), idleWait: .milliseconds(50),
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
