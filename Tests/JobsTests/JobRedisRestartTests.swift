import Foundation
import Logging
import Redis
import ServiceLifecycle
import TestSupport
import Testing

@testable import Jobs

@Suite struct JobRedisRestartTests {
    @Test("Redis killed and restarted mid-run: workers reconnect and finish every job")
    func redisRestartMidRun() async throws {
        let server = try await RedisTestServer(durable: true)
        defer { server.stop() }
        var logger = Logger(label: "jobs-restart-test")
        logger.logLevel = .critical
        let redis = RedisClient(configuration: try RedisConfiguration(url: server.url), logger: logger)
        defer { redis.close() }
        let queue = TestEnvironment.uniqueName("restartq")
        let definition = JobDefinition(
            name: "record", queue: queue, maxAttempts: 50,
            backoff: .init(base: .milliseconds(20), maximum: .milliseconds(200), jitter: 0.2)
        )
        let catalog = try JobCatalog([definition])
        var registry = JobRegistry()
        registry.register("record", payload: TestPayload.self) { payload, _ in
            _ = try await redis.send("SADD", "done", payload.n)
        }
        let total = 2_000
        let client = JobClient(redis: redis, catalog: catalog, logger: logger)
        _ = try await client.enqueue(
            batch: try (0..<total).map { try JobRequest(name: "record", payload: TestPayload(n: $0)) })
        let workers = try (0..<2).map { _ in
            try JobWorker(
                redis: redis, catalog: catalog, registry: registry,
                configuration: testWorkerConfiguration(concurrency: 4, batch: 4), logger: logger
            )
        }
        let group = ServiceGroup(configuration: .init(services: workers.map { .init(service: $0) }, logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await waitFor(timeout: .seconds(20)) { (try? await redis.send("SCARD", "done").int ?? 0) ?? 0 >= 200 }
            server.kill()
            try await server.start()
            try await waitFor(timeout: .seconds(60)) {
                (try? await redis.send("SCARD", "done").int ?? 0) ?? 0 >= total
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(try await redis.send("SCARD", "done").int == total)
        let stats = try await JobQueueAdmin(redis: redis).stats(queues: [queue])[0]
        #expect(stats.depth == 0 && stats.running == 0 && stats.dead == 0)
    }
}
