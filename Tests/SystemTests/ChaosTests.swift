import Foundation
import Jobs
import Logging
import Redis
import Relay
import TestSupport
import Testing

/// Three real `woodstock work` processes drain 20,000 jobs while one of them is `kill -9`'d every second.
@Suite(.serialized) struct ChaosTests {
    static let jobCount = 20_000

    @Test("kill -9 a worker every second: every job runs, none is lost, duplicates are counted")
    func killedWorkersLoseNothing() async throws {
        let queue = TestEnvironment.uniqueName("chaos")
        let runsKey = "woodstock:test:\(queue):runs"
        let catalogDirectory = try Self.catalogDirectory(queue: queue)
        defer { try? FileManager.default.removeItem(atPath: catalogDirectory) }
        let logger = Logger(label: "chaos")
        let redis = RedisClient(configuration: try RedisConfiguration(url: TestEnvironment.redisURL), logger: logger)
        defer { redis.close() }
        let catalog = try JobCatalog.load(directory: catalogDirectory)
        let jobs = JobClient(redis: redis, catalog: catalog, logger: logger)
        for start in stride(from: 0, to: Self.jobCount, by: 1_000) {
            let batch = try (start..<min(start + 1_000, Self.jobCount)).map { index in
                try JobRequest(name: ProbePayload.jobName, payload: ProbePayload(key: runsKey, id: "\(index)"))
            }
            _ = try await jobs.enqueue(batch: batch)
        }

        var environment = ProcessInfo.processInfo.environment
        environment["REDIS_URL"] = TestEnvironment.redisURL
        environment["DATABASE_URL"] = TestEnvironment.databaseURL
        environment["WOODSTOCK_MASTER_KEY"] = String(repeating: "ab", count: 32)
        environment["WOODSTOCK_JOBS_DIR"] = catalogDirectory
        environment["WOODSTOCK_LEASE_SECONDS"] = "2"
        environment["LOG_LEVEL"] = "error"
        let arguments = ["work", "--queues", queue, "--concurrency", "50"]
        var workers = try (0..<3).map { _ in try WorkerProcess(arguments: arguments, environment: environment) }

        let admin = JobQueueAdmin(redis: redis)
        var kills = 0
        let deadline = Date().addingTimeInterval(240)
        var stats = try await admin.stats(queues: [queue])[0]
        while stats.depth + stats.running + stats.scheduled + stats.retries > 0, Date() < deadline {
            try await Task.sleep(for: .seconds(1))
            let victim = kills % workers.count
            workers[victim].killHard()
            workers[victim] = try WorkerProcess(arguments: arguments, environment: environment)
            kills += 1
            stats = try await admin.stats(queues: [queue])[0]
        }
        for worker in workers { _ = worker.terminate() }

        let runs = try await redis.send("HVALS", runsKey).array ?? []
        let totalRuns = runs.compactMap { $0.string.flatMap(Int.init) }.reduce(0, +)
        let distinct = runs.count
        print(
            "chaos: \(Self.jobCount) jobs, \(kills) kill -9, \(distinct) ran, \(totalRuns - distinct) ran twice or more"
        )
        _ = try await redis.send("DEL", runsKey)
        #expect(kills >= 1)
        #expect(stats.depth + stats.running + stats.scheduled + stats.retries == 0)
        #expect(stats.dead == 0)
        #expect(distinct == Self.jobCount, "every job ran at least once")
        #expect(totalRuns >= distinct)
    }

    /// The product catalog plus a `probe` job on the test's own queue.
    static func catalogDirectory(queue: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(queue).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let jobsDirectory = root.appendingPathComponent("jobs").path
        for file in try FileManager.default.contentsOfDirectory(atPath: jobsDirectory) where file.hasSuffix(".yaml") {
            try FileManager.default.copyItem(
                atPath: jobsDirectory + "/" + file, toPath: directory + "/" + file)
        }
        let probe = """
            name: probe
            queue: \(queue)
            max_attempts: 20
            backoff:
              base: 100ms
              max: 1s
              jitter: 0
            timeout: 10s

            """
        try probe.write(toFile: directory + "/probe.yaml", atomically: true, encoding: .utf8)
        return directory
    }
}
