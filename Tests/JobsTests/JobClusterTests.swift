import Foundation
import Logging
import Redis
import ServiceLifecycle
import TestSupport
import Testing

@testable import Jobs

/// The job engine on the local 3-master Redis Cluster and Sentinel set-up of scripts/lib/redis-topologies.sh.
@Suite(.serialized) struct JobClusterTests {
    static func logger() -> Logger {
        var logger = Logger(label: "jobs-cluster-test")
        logger.logLevel = .critical
        return logger
    }

    /// Runs `total` record jobs spread over `queues` with two workers while `disturb` runs; returns the
    /// distinct job numbers that ran and the queues' stats.
    static func drain(
        url: String, queues: [String], total: Int, disturb: @escaping @Sendable (RedisClient) async throws -> Void
    ) async throws -> (done: Int, stats: [QueueStats]) {
        let logger = logger()
        let redis = RedisClient(configuration: try RedisConfiguration(url: url), logger: logger)
        defer { redis.close() }
        let doneKey = "{\(queues[0])}:done"
        let definitions = queues.map { queue in
            JobDefinition(
                name: "record-\(queue)", queue: queue, maxAttempts: 50,
                backoff: .init(base: .milliseconds(20), maximum: .milliseconds(200), jitter: 0.2))
        }
        let catalog = try JobCatalog(definitions)
        var registry = JobRegistry()
        for queue in queues {
            registry.register("record-\(queue)", payload: TestPayload.self) { payload, _ in
                _ = try await redis.send("SADD", doneKey, payload.n)
            }
        }
        let client = JobClient(redis: redis, catalog: catalog, logger: logger)
        _ = try await client.enqueue(
            batch: try (0..<total).map {
                try JobRequest(name: "record-\(queues[$0 % queues.count])", payload: TestPayload(n: $0))
            })
        let workers = try (0..<2).map { _ in
            try JobWorker(
                redis: redis, catalog: catalog, registry: registry,
                configuration: testWorkerConfiguration(queues: queues, concurrency: 4, batch: 8), logger: logger)
        }
        let group = ServiceGroup(configuration: .init(services: workers.map { .init(service: $0) }, logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await waitFor(timeout: .seconds(30)) {
                (try? await redis.send("SCARD", doneKey).int ?? 0) ?? 0 >= total / 5
            }
            try await disturb(redis)
            // A fresh client dials what the topology says now (after a failover: the new master).
            let checker = RedisClient(configuration: try RedisConfiguration(url: url), logger: logger)
            defer { checker.close() }
            try await waitFor(timeout: .seconds(60)) {
                (try? await checker.send("SCARD", doneKey).int ?? 0) ?? 0 >= total
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let done = try await redis.send("SCARD", doneKey).int ?? 0
        let stats = try await JobQueueAdmin(redis: redis).stats(queues: queues)
        _ = try await redis.send("DEL", doneKey)
        return (done, stats)
    }

    @Test("cluster: three queues over the masters drain while one queue's slot migrates; no job is lost")
    func slotMigrationDuringDrain() async throws {
        let url = try await RedisTopologies.clusterURL()
        let queues = (0..<3).map { TestEnvironment.uniqueName("clq\($0)") }
        let slot = RedisClusterSlot.slot(for: JobKeys(queue: queues[0]).prefix)
        let result = try await Self.drain(url: url, queues: queues, total: 1_500) { _ in
            try await RedisClusterMigration.move(slot: slot, url: url, keysPerStep: 1, pause: .milliseconds(20))
        }
        #expect(result.done == 1_500)
        for stats in result.stats { #expect(stats.depth == 0 && stats.running == 0 && stats.dead == 0) }
    }

    @Test("sentinel: the master fails over during a drain; workers continue on the new master, no job is lost")
    func sentinelFailoverDuringDrain() async throws {
        let url = try await RedisTopologies.sentinelURL()
        let queues = [TestEnvironment.uniqueName("senq")]
        let result = try await Self.drain(url: url, queues: queues, total: 1_500) { _ in
            _ = try await RedisTopologies.run("topo_sentinel_failover")
        }
        #expect(result.done == 1_500)
        for stats in result.stats { #expect(stats.depth == 0 && stats.running == 0 && stats.dead == 0) }
    }
}
