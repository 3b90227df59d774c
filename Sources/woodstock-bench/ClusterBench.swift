import ArgumentParser
import Foundation
import Jobs
import Logging
import Redis
import ServiceLifecycle
import Synchronization

/// `woodstock-bench cluster`: drain rate of no-op jobs over several queues (spread over a cluster's slot ranges),
/// and with `--kill-command`, the time from running that command (a master's failure) to the first job
/// enqueued after it that ran. Prints `key=value` lines for `scripts/bench.d/cluster.sh`.
struct ClusterBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Drain rate over spread queues; failover time to the first job run (scripts/bench cluster)."
    )

    @Option(help: "Redis URL: redis://, redis+cluster:// or redis+sentinel://.") var url = "redis://127.0.0.1:56379/0"
    @Option(help: "Jobs enqueued and drained.") var jobs = 60_000
    @Option(help: "Queues, named so their slots spread evenly over 0..16383.") var queues = 6
    @Option(help: "Worker processes' worth of in-process workers.") var workers = 2
    @Option(help: "Concurrency per worker.") var concurrency = 128
    @Option(
        help: """
            Shell command that fails the master; measures the time to the first job run after it. `{slot}` in it \
            becomes the hash slot of the first queue (e.g. `topo_cluster_ha_kill_master {slot}`).
            """)
    var killCommand: String?

    struct Payload: Codable, Sendable {
        var n: Int
        var t: Double
    }

    func run() async throws {
        var logger = Logger(label: "woodstock.bench.cluster")
        logger.logLevel = .critical
        var configuration = try RedisConfiguration(url: url)
        configuration.poolSize = 8
        configuration.connectTimeout = .milliseconds(500)
        let redis = RedisClient(configuration: configuration, logger: logger)
        defer { redis.close() }
        let names = Self.spreadQueueNames(count: queues)
        let catalog = try JobCatalog(names.map { JobDefinition(name: "noop-\($0)", queue: $0, maxAttempts: 100) })
        let processed = Atomic<Int>(0)
        let clock = FailoverClock()
        var registry = JobRegistry()
        for name in names {
            registry.register("noop-\(name)", payload: Payload.self) { payload, _ in
                processed.add(1, ordering: .relaxed)
                if let failed = clock.failedAt.withLock({ $0 }), payload.t > failed {
                    let now = Date().timeIntervalSince1970
                    clock.firstRun.withLock { $0 = $0 ?? now }
                }
            }
        }
        let client = JobClient(redis: redis, catalog: catalog, logger: logger)
        for start in stride(from: 0, to: jobs, by: 1_000) {
            let requests = try (start..<min(start + 1_000, jobs)).map { n in
                try JobRequest(name: "noop-\(names[n % names.count])", payload: Payload(n: n, t: 0))
            }
            _ = try await client.enqueue(batch: requests)
        }
        let workerList = try (0..<workers).map { _ in
            try JobWorker(
                redis: redis, catalog: catalog, registry: registry,
                configuration: JobWorkerConfiguration(
                    queues: names, concurrency: concurrency, fetchBatchSize: 64, idleWait: .milliseconds(200)),
                logger: logger)
        }
        let group = ServiceGroup(configuration: .init(services: workerList.map { .init(service: $0) }, logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let start = ContinuousClock.now
            while processed.load(ordering: .relaxed) < jobs { try await Task.sleep(for: .milliseconds(2)) }
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print("queues=\(names.count)")
            print("drain_jobs_per_s=\(Int(Double(jobs) / seconds))")
            if let killCommand {
                print(
                    "failover_to_first_job_ms=\(try await measureFailover(killCommand, client, names, clock))"
                )
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// Enqueues a job every 10 ms (failures ignored), runs `command`, and waits for the first job enqueued
    /// after it to run. - Returns: milliseconds from the command to that run (-1 after 30 s).
    private func measureFailover(
        _ command: String, _ client: JobClient, _ names: [String], _ clock: FailoverClock
    ) async throws -> Int {
        let feeder = Task {
            var n = 0
            while !Task.isCancelled {
                n += 1
                let request = try JobRequest(
                    name: "noop-\(names[n % names.count])", payload: Payload(n: n, t: Date().timeIntervalSince1970))
                _ = try? await client.enqueue(batch: [request])
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        defer { feeder.cancel() }
        try await Task.sleep(for: .milliseconds(500))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        let slot = RedisClusterSlot.slot(for: "woodstock:jobs:{\(names[0])}")
        process.arguments = ["-c", command.replacingOccurrences(of: "{slot}", with: "\(slot)")]
        try process.run()
        // The command returns once the master is dead; only jobs enqueued after that count.
        while process.isRunning { try await Task.sleep(for: .milliseconds(1)) }
        let killedAt = Date().timeIntervalSince1970
        clock.failedAt.withLock { $0 = killedAt }
        let deadline = ContinuousClock.now + .seconds(30)
        while clock.firstRun.withLock({ $0 }) == nil && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        guard let ran = clock.firstRun.withLock({ $0 }) else { return -1 }
        return Int((ran - killedAt) * 1000)
    }

    /// Queue names whose hash slots fall in `count` equal ranges of 0..16383 (one per master of an evenly
    /// split cluster when `count` is a multiple of the masters).
    static func spreadQueueNames(count: Int) -> [String] {
        let run = UUID().uuidString.prefix(6).lowercased()
        return (0..<count).map { index in
            let range = (index * RedisClusterSlot.count / count)..<((index + 1) * RedisClusterSlot.count / count)
            var attempt = 0
            while true {
                let name = "bench-\(run)-\(index)-\(attempt)"
                if range.contains(RedisClusterSlot.slot(for: "woodstock:jobs:{\(name)}")) { return name }
                attempt += 1
            }
        }
    }
}

/// When the master was failed and when the first job enqueued after that ran (epoch seconds).
final class FailoverClock: Sendable {
    let failedAt = Mutex<Double?>(nil)
    let firstRun = Mutex<Double?>(nil)
}
