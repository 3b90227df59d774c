import ArgumentParser
import Foundation
import Jobs
import Logging
import Redis
import ServiceLifecycle
import Synchronization

/// `woodstock-bench jobs`: batched enqueue rate, drain rate of no-op jobs by one in-process worker, pickup
/// latency at a fixed rate, Redis commands and round trips per job, and RSS after many jobs.
/// Prints `key=value` lines that `scripts/bench.d/jobs.sh` sets beside `redis-benchmark`.
struct JobsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "Job engine throughput, latency, Redis cost per job and memory (scripts/bench jobs)."
    )

    @Option(help: "Redis URL (a private server gives clean command counts).") var url = "redis://127.0.0.1:56379/0"
    @Option(help: "Jobs enqueued and drained.") var jobs = 100_000
    @Option(help: "Jobs per enqueue batch.") var batch = 1_000
    @Option(help: "Worker concurrency.") var concurrency = 256
    @Option(help: "Worker fetch batch size.") var fetch = 256
    @Option(help: "Offered rate for the pickup latency run (jobs/s).") var rate = 1_000
    @Option(help: "Seconds of the pickup latency run.") var latencySeconds = 3
    @Option(help: "Total jobs processed before the final RSS reading.") var rssJobs = 1_000_000

    struct Payload: Codable, Sendable {
        var n: Int
        var t: Double
    }

    func run() async throws {
        var logger = Logger(label: "woodstock.bench.jobs")
        logger.logLevel = .error
        var redisConfiguration = try RedisConfiguration(url: url)
        redisConfiguration.poolSize = 4
        let redis = RedisClient(configuration: redisConfiguration, logger: logger)
        let queue = "bench-\(UUID().uuidString.prefix(8).lowercased())"
        let catalog = try JobCatalog([JobDefinition(name: "noop", queue: queue)])
        let client = JobClient(redis: redis, catalog: catalog, logger: logger)
        let processed = Atomic<Int>(0)
        let latencies = Mutex<[Double]>([])
        let measuringLatency = Atomic<Bool>(false)
        var registry = JobRegistry()
        registry.register("noop", payload: Payload.self) { payload, _ in
            if measuringLatency.load(ordering: .relaxed) {
                let latency = Date().timeIntervalSince1970 - payload.t
                latencies.withLock { $0.append(latency) }
            }
            processed.add(1, ordering: .relaxed)
        }
        print("rss_start_mb=\(Self.rssMegabytes())")

        // 1. Batched enqueue.
        var before = try await Self.serverCounters(redis)
        var start = ContinuousClock.now
        var cpuStart = Self.cpuMicroseconds()
        try await enqueue(client, count: jobs)
        let enqueueSeconds = Self.seconds(since: start)
        print(
            "enqueue_cpu_us_per_job=\(String(format: "%.2f", Double(Self.cpuMicroseconds() - cpuStart) / Double(jobs)))"
        )
        var after = try await Self.serverCounters(redis)
        print("enqueue_jobs_per_s=\(Int(Double(jobs) / enqueueSeconds))")
        printCost("enqueue", before: before, after: after, jobs: jobs)

        // 2. Drain by one in-process worker.
        let worker = try JobWorker(
            redis: redis, catalog: catalog, registry: registry,
            configuration: JobWorkerConfiguration(concurrency: concurrency, fetchBatchSize: fetch),
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [.init(service: worker)], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            before = try await Self.serverCounters(redis)
            start = ContinuousClock.now
            cpuStart = Self.cpuMicroseconds()
            try await Self.waitUntil { processed.load(ordering: .relaxed) >= jobs }
            let drainSeconds = Self.seconds(since: start)
            let drainCPU = Double(Self.cpuMicroseconds() - cpuStart) / Double(jobs)
            print("drain_cpu_us_per_job=\(String(format: "%.2f", drainCPU))")
            after = try await Self.serverCounters(redis)
            print("drain_jobs_per_s=\(Int(Double(jobs) / drainSeconds))")
            printCost("drain", before: before, after: after, jobs: jobs)
            print("rss_after_drain_mb=\(Self.rssMegabytes())")

            // 3. Pickup latency at a fixed offered rate, one enqueue call per job.
            measuringLatency.store(true, ordering: .relaxed)
            let total = rate * latencySeconds
            let target = processed.load(ordering: .relaxed) + total
            let interval = Duration.nanoseconds(1_000_000_000 / max(1, rate))
            var next = ContinuousClock.now
            for n in 0..<total {
                next += interval
                try await client.enqueue(name: "noop", payload: Payload(n: n, t: Date().timeIntervalSince1970))
                try await Task.sleep(until: next, tolerance: .zero)
            }
            try await Self.waitUntil { processed.load(ordering: .relaxed) >= target }
            measuringLatency.store(false, ordering: .relaxed)
            let sorted = latencies.withLock { $0.sorted() }
            if !sorted.isEmpty {
                let p50 = sorted[sorted.count / 2] * 1000
                let p99 = sorted[min(sorted.count - 1, sorted.count * 99 / 100)] * 1000
                print(String(format: "pickup_p50_ms=%.3f", p50))
                print(String(format: "pickup_p99_ms=%.3f", p99))
            }

            // 4. Memory after many jobs.
            var done = processed.load(ordering: .relaxed)
            while done < rssJobs {
                let chunk = min(jobs, rssJobs - done)
                let goal = done + chunk
                try await enqueue(client, count: chunk)
                try await Self.waitUntil { processed.load(ordering: .relaxed) >= goal }
                done = processed.load(ordering: .relaxed)
            }
            print("rss_jobs=\(done)")
            print("rss_final_mb=\(Self.rssMegabytes())")
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let stats = try await JobQueueAdmin(redis: redis).stats(queues: [queue])[0]
        print("left_in_redis=\(stats.depth + stats.running + stats.scheduled + stats.retries + stats.dead)")
        _ = try await redis.send("SREM", "woodstock:jobs:queues", queue)
        redis.close()
    }

    private func enqueue(_ client: JobClient, count: Int) async throws {
        let now = Date().timeIntervalSince1970
        for chunk in stride(from: 0, to: count, by: batch) {
            let requests = try (chunk..<min(count, chunk + batch)).map {
                try JobRequest(name: "noop", payload: Payload(n: $0, t: now))
            }
            _ = try await client.enqueue(batch: requests)
        }
    }

    private func printCost(_ phase: String, before: [String: Int], after: [String: Int], jobs: Int) {
        func per(_ key: String) -> String {
            String(format: "%.4f", Double((after[key] ?? 0) - (before[key] ?? 0)) / Double(max(1, jobs)))
        }
        print("\(phase)_commands_per_job=\(per("commandstats_calls"))")
        print("\(phase)_top_level_commands_per_job=\(per("total_commands_processed"))")
        print("\(phase)_round_trips_per_job=\(per("total_reads_processed"))")
    }

    /// `total_commands_processed`, `total_reads_processed` and the sum of `INFO commandstats` calls
    /// (which counts the commands scripts run too).
    static func serverCounters(_ redis: RedisClient) async throws -> [String: Int] {
        let text = (try await redis.send("INFO", "all").string) ?? ""
        var counters: [String: Int] = ["commandstats_calls": 0]
        for line in text.split(whereSeparator: \.isNewline) {
            if line.hasPrefix("total_commands_processed:") || line.hasPrefix("total_reads_processed:") {
                let parts = line.split(separator: ":")
                counters[String(parts[0])] = Int(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0
            } else if line.hasPrefix("cmdstat_"), let range = line.range(of: "calls=") {
                let digits = line[range.upperBound...].prefix { $0.isNumber }
                counters["commandstats_calls", default: 0] += Int(digits) ?? 0
            }
        }
        return counters
    }

    static func waitUntil(_ condition: () -> Bool) async throws {
        while !condition() { try await Task.sleep(for: .milliseconds(2)) }
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// User plus system CPU time of this process, in microseconds.
    static func cpuMicroseconds() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1_000_000 + usage.ru_utime.tv_usec
            + usage.ru_stime.tv_usec
    }

    static func rssMegabytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }
}
