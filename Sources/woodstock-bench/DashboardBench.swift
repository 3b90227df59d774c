import ArgumentParser
import CryptoCore
import Foundation
import Hummingbird
import Jobs
import Logging
import Postgres
import Redis
import ServiceLifecycle
import Store
import UnixSignals
import Web

/// `woodstock-bench dashboard`: seeds `--queues` queues with `--dead` dead jobs in all (and some finished
/// jobs for the chart) on the given Redis, then serves the operator dashboard and a bare route on one port
/// until SIGTERM. Writes a signed-in session cookie to `--cookie-file` so `scripts/bench.d/dashboard.sh`
/// can time `GET /admin/queues` beside `GET /bench/bare` with wrk.
struct DashboardBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Serve /admin over a seeded Redis (100 queues, 10,000 dead jobs) for scripts/bench dashboard."
    )

    @Option(help: "Redis URL (a private server: the seed adds queues).") var redisURL = "redis://127.0.0.1:56379/0"
    @Option(help: "PostgreSQL URL (the queues page does not query it).")
    var databaseURL = "postgres://woodstock@127.0.0.1:55432/woodstock"
    @Option(help: "Queues to create.") var queues = 100
    @Option(help: "Dead jobs in all, spread over the queues.") var dead = 10_000
    @Option(help: "Finished jobs per queue (the throughput chart).") var done = 50
    @Option(help: "HTTP port.") var port = 58195
    @Option(help: "Where to write the session cookie (name=value).") var cookieFile: String

    struct Payload: Codable, Sendable { var n: Int }

    func run() async throws {
        var logger = Logger(label: "bench.dashboard")
        logger.logLevel = .warning
        let redis = RedisClient(configuration: try RedisConfiguration(url: redisURL), logger: logger)
        defer { redis.close() }
        let started = ContinuousClock.now
        try await seed(redis: redis, logger: logger)
        announce("seeded queues=\(queues) dead=\(dead) seconds=\((ContinuousClock.now - started).components.seconds)")

        let pool = PostgresPool(configuration: try PostgresConfiguration(url: databaseURL), logger: logger)
        let hash = try PasswordHash.make(password: "bench-only-password", iterations: 1000)
        let site = try AdminSite(
            configuration: AdminConfiguration(passwordHash: hash), redis: redis, repositories: Repositories(pool: pool),
            crontab: nil, logger: logger)
        let session = try await SessionStore(redis: redis, keyPrefix: "woodstock:session:admin:").create(
            subject: AdminSite.subject)
        try "woodstock_admin=\(session.id)".write(toFile: cookieFile, atomically: true, encoding: .utf8)
        let router = Router(context: BasicRequestContext.self)
        router.get("bench/bare") { _, _ in "ok" }
        site.add(to: router)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        announce("ready port=\(port)")
        let group = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        await pool.close()
    }

    /// Runs a failing job `dead / queues` times and a succeeding one `done` times in every queue.
    /// Writes a line to standard output at once: `print` is block-buffered when stdout is a file, and
    /// scripts/bench.d/dashboard.sh waits for these lines in the log.
    private func announce(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    private func seed(redis: RedisClient, logger: Logger) async throws {
        let names = (0..<queues).map { String(format: "bench-q%03d", $0) }
        var definitions: [JobDefinition] = []
        var registry = JobRegistry()
        for name in names {
            definitions.append(JobDefinition(name: "\(name)-fail", queue: name, maxAttempts: 1))
            definitions.append(JobDefinition(name: "\(name)-ok", queue: name))
            registry.register("\(name)-fail", payload: Payload.self) { _, _ in
                throw JobError(.handlerFailed, message: "bench: always fails")
            }
            registry.register("\(name)-ok", payload: Payload.self) { _, _ in }
        }
        let catalog = try JobCatalog(definitions)
        let client = JobClient(redis: redis, catalog: catalog, logger: logger)
        let perQueue = dead / max(1, queues)
        for (index, name) in names.enumerated() {
            let failing = perQueue + (index < dead % max(1, queues) ? 1 : 0)
            var requests = try (0..<failing).map { try JobRequest(name: "\(name)-fail", payload: Payload(n: $0)) }
            requests += try (0..<done).map { try JobRequest(name: "\(name)-ok", payload: Payload(n: $0)) }
            _ = try await client.enqueue(batch: requests)
        }
        let worker = try JobWorker(
            redis: redis, catalog: catalog, registry: registry,
            configuration: JobWorkerConfiguration(
                queues: names, concurrency: 200, fetchBatchSize: 200, idleWait: .milliseconds(50),
                deadSetMaxCount: max(10_000, dead)),
            logger: logger)
        let admin = JobQueueAdmin(redis: redis)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await worker.run() }
            while true {
                let stats = try await admin.stats(queues: names)
                if stats.reduce(0, { $0 + $1.dead }) >= dead, stats.allSatisfy({ $0.depth == 0 && $0.running == 0 }) {
                    break
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            group.cancelAll()
        }
    }
}
