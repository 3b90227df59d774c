import Foundation
import Logging
import Redis
import ServiceLifecycle
import TestSupport
import Testing

@testable import Jobs

/// Records what handlers saw, and waits (with a timeout) for conditions on it.
actor JobRecorder {
    private(set) var events: [String] = []

    func record(_ event: String) { events.append(event) }

    /// Waits until `condition` holds; returns `false` on timeout.
    func wait(timeout: Duration = .seconds(10), until condition: @escaping @Sendable ([String]) -> Bool) async -> Bool {
        if condition(events) { return true }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(events) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition(events)
    }
}

/// One test's isolated queues, Redis client, and cleanup.
struct JobsTestContext {
    let redis: RedisClient
    let logger: Logger
    let queue: String

    init() throws {
        var logger = Logger(label: "jobs-test")
        logger.logLevel = .critical
        self.logger = logger
        redis = RedisClient(configuration: try RedisConfiguration(url: TestEnvironment.redisURL), logger: logger)
        queue = TestEnvironment.uniqueName("jobq")
    }

    func client(_ definitions: [JobDefinition]) throws -> JobClient {
        JobClient(redis: redis, catalog: try JobCatalog(definitions), logger: logger)
    }

    func stats(_ queue: String? = nil) async throws -> QueueStats {
        try await JobQueueAdmin(redis: redis).stats(queues: [queue ?? self.queue])[0]
    }

    /// Deletes every key of the given queues.
    func cleanUp(_ queues: [String]? = nil) async {
        for queue in queues ?? [self.queue] { await RedisTestKeys.deleteQueue(queue, redis: redis) }
    }

    /// Runs `worker` in a service group while `body` runs, then shuts it down gracefully.
    func withWorkers<T: Sendable>(_ workers: [JobWorker], _ body: () async throws -> T) async throws -> T {
        let group = ServiceGroup(
            configuration: .init(services: workers.map { .init(service: $0) }, logger: logger)
        )
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let result: Result<T, any Error>
            do { result = .success(try await body()) } catch { result = .failure(error) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return try result.get()
        }
    }
}

struct TestPayload: Codable, Sendable {
    var n: Int
    var tag: String = ""
}

/// Fast test defaults: short leases and waits.
func testWorkerConfiguration(
    queues: [String]? = nil, concurrency: Int = 10, batch: Int = 10, grace: Duration = .seconds(5)
) -> JobWorkerConfiguration {
    JobWorkerConfiguration(
        queues: queues, concurrency: concurrency, fetchBatchSize: batch, leaseDuration: .seconds(2),
        heartbeatInterval: .milliseconds(500), reapInterval: .milliseconds(200), idleWait: .milliseconds(200),
        shutdownGracePeriod: grace
    )
}

func quickBackoff() -> JobDefinition.Backoff { .init(base: .milliseconds(10), maximum: .milliseconds(50), jitter: 0.1) }
