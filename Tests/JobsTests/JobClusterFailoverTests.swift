import Foundation
import Logging
import Redis
import ServiceLifecycle
import Synchronization
import TestSupport
import Testing

@testable import Jobs

/// The job engine on the local HA cluster of scripts/lib/redis-topologies.sh (3 masters, 3 replicas, node
/// timeout 1 s): a queue's master is killed with SIGKILL mid-drain and its replica takes over.
@Suite(.serialized) struct JobClusterFailoverTests {
    /// When the master died and when the first job enqueued after that ran.
    final class Clock: Sendable {
        let killedAt = Mutex<ContinuousClock.Instant?>(nil)
        let killStartedAt = Mutex<ContinuousClock.Instant?>(nil)
        let markerRanAt = Mutex<ContinuousClock.Instant?>(nil)
        /// Handler failures by error text (printed: they explain duplicate runs).
        let failures = Mutex<[String: Int]>([:])
    }

    /// One queue per third of the slot space (so one per master of the freshly created cluster).
    static func queues() -> [String] {
        let run = TestEnvironment.uniqueName("haq")
        return (0..<3).map { index in
            let range = (index * 16_384 / 3 + 100)..<((index + 1) * 16_384 / 3 - 100)
            var attempt = 0
            while !range.contains(RedisClusterSlot.slot(for: JobKeys(queue: "\(run)-\(index)-\(attempt)").prefix)) {
                attempt += 1
            }
            return "\(run)-\(index)-\(attempt)"
        }
    }

    @Test("HA cluster: a queue's master is killed mid-drain; workers go on with the promoted replica, no job is lost")
    func masterKilledDuringDrain() async throws {
        try await RedisTopologies.withClusterHA { try await Self.drainAcrossKill(url: $0) }
    }

    static func drainAcrossKill(url: String) async throws {
        var logger = Logger(label: "jobs-cluster-failover-test")
        logger.logLevel = .critical
        let queues = Self.queues()
        let total = 1_200
        let marker = -1
        let victimSlot = RedisClusterSlot.slot(for: JobKeys(queue: queues[0]).prefix)
        let redis = RedisClient(configuration: try RedisConfiguration(url: url), logger: logger)
        defer { redis.close() }
        let durable = redis.withDurability(RedisDurability(mode: .required, timeout: .seconds(2)))
        // On a surviving master (queues[1]'s slot); written durably, so the record survives too.
        let doneKey = "{\(queues[1])}:done"
        let runsKey = "{\(queues[1])}:runs"
        let clock = Clock()
        let catalog = try JobCatalog(
            queues.map {
                JobDefinition(
                    name: "record-\($0)", queue: $0, maxAttempts: 100,
                    backoff: .init(base: .milliseconds(20), maximum: .milliseconds(200), jitter: 0.2))
            })
        var registry = JobRegistry()
        for queue in queues {
            registry.register("record-\(queue)", payload: TestPayload.self) { payload, _ in
                if payload.n == marker {
                    clock.markerRanAt.withLock { $0 = $0 ?? .now }
                    return
                }
                do {
                    let results = try await durable.pipeline([
                        RedisCommand("SADD", doneKey, payload.n), RedisCommand("HINCRBY", runsKey, payload.n, 1),
                    ])
                    for result in results { _ = try result.get() }
                } catch {
                    clock.failures.withLock { $0["\(error)", default: 0] += 1 }
                    throw error
                }
            }
        }
        // Durable enqueue: each batch returns only after WAIT 1 saw it on the replicas of the masters it went to.
        let client = JobClient(redis: durable, catalog: catalog, logger: logger)
        for start in stride(from: 0, to: total, by: 100) {
            _ = try await client.enqueue(
                batch: try (start..<(start + 100)).map {
                    try JobRequest(name: "record-\(queues[$0 % queues.count])", payload: TestPayload(n: $0))
                })
        }
        let workers = try (0..<2).map { _ in
            try JobWorker(
                redis: redis, catalog: catalog, registry: registry,
                configuration: testWorkerConfiguration(queues: queues, concurrency: 4, batch: 8), logger: logger)
        }
        let group = ServiceGroup(configuration: .init(services: workers.map { .init(service: $0) }, logger: logger))
        var killed = ""
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await waitFor(timeout: .seconds(30)) {
                (try? await redis.send("SCARD", doneKey).int ?? 0) ?? 0 >= total / 5
            }
            let killStarted = ContinuousClock.now  // delays are measured from here (the kill is a bit later)
            killed = try await RedisTopologies.killClusterHAMaster(slot: victimSlot)
            clock.killStartedAt.withLock { $0 = killStarted }
            clock.killedAt.withLock { $0 = .now }
            // Not durable: the promoted master has no replica until the killed node comes back. A command in
            // flight on a link to the dead master fails once (it may have run), so the caller retries.
            let plain = JobClient(redis: redis, catalog: catalog, logger: logger)
            let request = try JobRequest(name: "record-\(queues[0])", payload: TestPayload(n: marker))
            try await waitFor(timeout: .seconds(30)) { (try? await plain.enqueue(batch: [request])) != nil }
            try await waitFor(timeout: .seconds(60)) {
                (try? await redis.send("SCARD", doneKey).int ?? 0) ?? 0 >= total
                    && clock.markerRanAt.withLock { $0 } != nil
            }
            // A job whose acknowledgement died with the master is still leased there: the reaper runs it again.
            try await waitFor(timeout: .seconds(30)) {
                let stats = (try? await JobQueueAdmin(redis: redis).stats(queues: queues)) ?? []
                return stats.count == queues.count && stats.allSatisfy { $0.depth == 0 && $0.running == 0 }
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let promoted = try await RedisTopologies.clusterHAMaster(slot: victimSlot)
        let done = try await redis.send("SCARD", doneKey).int ?? 0
        let runs = try await redis.send("HVALS", runsKey).array?.compactMap(\.int).reduce(0, +) ?? 0
        let stats = try await JobQueueAdmin(redis: redis).stats(queues: queues)
        let killedAt = try #require(clock.killStartedAt.withLock { $0 })
        let markerDelay = clock.markerRanAt.withLock { $0 }.map { "\($0 - killedAt)" } ?? "never"
        print(
            "cluster failover \(killed) -> \(promoted): \(done)/\(total) jobs ran, \(runs - done) duplicate run(s); "
                + "kill command started -> first job enqueued after the kill ran on the new master: \(markerDelay)")
        print("handler failures: \(clock.failures.withLock { $0 })")
        #expect(!killed.isEmpty && promoted != killed)
        #expect(done == total)
        #expect(clock.markerRanAt.withLock { $0 } != nil)
        for stats in stats { #expect(stats.depth == 0 && stats.running == 0 && stats.dead == 0) }
        _ = try await redis.pipeline([RedisCommand("DEL", doneKey), RedisCommand("DEL", runsKey)])
    }
}
