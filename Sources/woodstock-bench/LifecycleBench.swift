import Accounts
import ArgumentParser
import Billing
import Foundation
import HTTP
import Jobs
import Logging
import Meta
import Postgres
import Redis
import ServiceLifecycle
import Store
import Vault

/// `woodstock-bench lifecycle`: the token refresh sweep over many integrations against the sandbox
/// (integrations/s, sweep → every token refreshed), and metered check-and-count operations/s.
/// Prints `key=value` lines that `scripts/bench.d/lifecycle.sh` sets beside `redis-benchmark EVALSHA`.
struct LifecycleBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lifecycle", abstract: "Refresh sweep and metering throughput (scripts/bench lifecycle).")

    @Option(help: "Redis URL (a private server).") var redisURL = "redis://127.0.0.1:56379/0"
    @Option(help: "PostgreSQL URL (a private schema is created and dropped).")
    var databaseURL = "postgres://woodstock@127.0.0.1:55432/woodstock"
    @Option(help: "Sandbox base URL.") var sandboxURL = "http://127.0.0.1:9090"
    @Option(help: "Integrations to refresh.") var integrations = 50_000
    @Option(help: "Tenants owning them.") var tenants = 1_000
    @Option(help: "Worker concurrency.") var concurrency = 128
    @Option(help: "Metering operations.") var meterOps = 100_000
    @Option(help: "Concurrent metering callers.") var meterClients = 50
    @Option(help: "What to run: meter, refresh or both (comma-separated).") var phases = "meter,refresh"
    @Option(help: "PostgreSQL connections for the refresh workers.") var databaseConnections = 16

    func run() async throws {
        var logger = Logger(label: "woodstock.bench.lifecycle")
        logger.logLevel = .error
        var redisConfiguration = try RedisConfiguration(url: redisURL)
        redisConfiguration.poolSize = max(8, meterClients)
        let redis = RedisClient(configuration: redisConfiguration, logger: logger)
        defer { redis.close() }
        let phases = Set(phases.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        if phases.contains("meter") { try await meter(redis: redis) }
        guard phases.contains("refresh") else { return }

        let schema = "bench_lifecycle_\(UUID().uuidString.prefix(8).lowercased())"
        var configuration = try PostgresConfiguration(url: databaseURL)
        configuration.maximumConnections = databaseConnections
        let admin = PostgresPool(configuration: configuration, logger: logger)
        try await admin.query("CREATE SCHEMA \(identifier: schema)")
        configuration.searchPath = [schema]
        let pool = PostgresPool(configuration: configuration, logger: logger)
        do {
            try await refresh(pool: pool, redis: redis, logger: logger)
        } catch {
            await pool.close()
            _ = try? await admin.query("DROP SCHEMA \(identifier: schema) CASCADE")
            await admin.close()
            throw error
        }
        await pool.close()
        _ = try? await admin.query("DROP SCHEMA \(identifier: schema) CASCADE")
        await admin.close()
    }

    /// Check-and-count from `meterClients` concurrent callers, no message id (as `redis-benchmark` runs it).
    func meter(redis: RedisClient) async throws {
        let meter = UsageMeter(redis: redis, keyPrefix: "bench:usage:\(UUID().uuidString.prefix(8))")
        _ = try await meter.checkAndCount(tenantID: "warm", limit: nil, messageID: nil)
        let perClient = meterOps / meterClients
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in 0..<meterClients {
                group.addTask {
                    for _ in 0..<perClient {
                        _ = try await meter.checkAndCount(tenantID: "t\(client % 100)", limit: nil, messageID: nil)
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = Self.seconds(since: start)
        print("meter_ops=\(perClient * meterClients)")
        print("meter_ops_per_s=\(Int(Double(perClient * meterClients) / elapsed))")
        print("meter_script_sha1=\(UsageMeter.checkAndCountScriptSHA1)")
    }

    /// Seeds `integrations` due tokens, sweeps once and drains the refresh jobs with in-process workers.
    func refresh(pool: PostgresPool, redis: RedisClient, logger: Logger) async throws {
        _ = try await Migrator(pool: pool, logger: logger).migrate()
        let repositories = Repositories(pool: pool)
        let vault = Vault(masterKey: try MasterKey.generate().key, repositories: repositories, logger: logger)
        let seedStart = ContinuousClock.now
        try await LifecycleBenchSeeder(pool: pool, vault: vault).seed(tenants: tenants, integrations: integrations)
        print("seed_seconds=\(String(format: "%.1f", Self.seconds(since: seedStart)))")

        let http = try HTTPClient(
            configuration: HTTPClientConfiguration(maxConnectionsPerHost: concurrency), logger: logger)
        let graph = GraphAPIConfiguration(
            instagramGraphURL: sandboxURL, facebookGraphURL: sandboxURL, instagramAPIURL: sandboxURL)
        let oauth = MetaOAuthClient(
            http: http, configuration: graph,
            credentials: MetaAppCredentials(instagramAppID: "1", instagramAppSecret: "s"),
            logger: logger)
        let queue = "bench-lifecycle-\(UUID().uuidString.prefix(8).lowercased())"
        let catalog = try JobCatalog(
            try JobCatalog.load(directory: "jobs").definitions.values
                .filter { ["refresh-tokens", "refresh-token", "send-notice"].contains($0.name) }
                .map { definition in
                    // send-notice keeps a queue of its own, as in jobs/: its per-tenant rate limit (1/s) would
                    // otherwise become the limit of every refresh-token job sharing the queue.
                    var definition = definition
                    definition.queue = definition.name == "send-notice" ? "\(queue)-notices" : queue
                    return definition
                })
        let jobs = JobClient(redis: redis, catalog: catalog, logger: logger)
        let refresher = TokenRefresher(
            repositories: repositories, vault: vault, oauth: oauth, jobs: jobs,
            policy: RefreshPolicy(batchLimit: integrations), logger: logger)
        var registry = JobRegistry()
        AccountsJobs.register(in: &registry, refresher: refresher, catalog: catalog)
        registry.register("send-notice", payload: NoticeRaiser.Payload.self) { _, _ in }
        let worker = try JobWorker(
            redis: redis, catalog: catalog, registry: registry,
            configuration: JobWorkerConfiguration(queues: [queue, "\(queue)-notices"], concurrency: concurrency),
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [.init(service: worker)], logger: logger))
        let start = Date()
        let clock = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let sweep = try await refresher.sweep()
            print("sweep_enqueued=\(sweep.enqueued)")
            print("sweep_seconds=\(String(format: "%.2f", Self.seconds(since: clock)))")
            while true {
                let rows = try await pool.query(
                    "SELECT count(*)::bigint FROM platform_integrations WHERE last_refreshed_at >= \(start)")
                if try rows.first?.decode(Int.self, at: 0) ?? 0 >= sweep.enqueued { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let elapsed = Self.seconds(since: clock)
        print("refresh_total_seconds=\(String(format: "%.1f", elapsed))")
        print("refresh_per_s=\(Int(Double(integrations) / elapsed))")
        await http.shutdown()
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let duration = ContinuousClock.now - start
        return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
