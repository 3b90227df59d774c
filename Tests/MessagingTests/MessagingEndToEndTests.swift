import Foundation
import Jobs
import Logging
import Meta
import Redis
import ServiceLifecycle
import TestSupport
import Testing

@testable import Messaging

@Suite struct MessagingEndToEndTests {
    @Test("through the job engine: enqueue (duplicate dropped) → worker → process-message → one reply per message")
    func throughTheEngine() async throws {
        try await withMessagingHarness { harness in
            let tenant = try await harness.makeTenant("Engine Shop")
            let queue = TestEnvironment.uniqueName("test-messages")
            let logger = Logger(label: "test.messaging.e2e")
            let catalog = try JobCatalog([
                JobDefinition(
                    name: MessagingModule.processMessageJob, queue: queue, priority: 100, maxAttempts: 3,
                    backoff: .init(base: .milliseconds(100), maximum: .seconds(1), jitter: 0),
                    timeout: .seconds(30))
            ])
            var registry = JobRegistry()
            MessagingModule.register(in: &registry, dependencies: harness.dependencies)
            let client = JobClient(redis: harness.redis, catalog: catalog, logger: logger)
            let first = MessagingHarness.message(to: tenant, from: "c1", text: "first via engine")
            let second = MessagingHarness.message(to: tenant, from: "c2", text: "second via engine")
            for event in [first, first, second] {
                _ = try await client.enqueue(
                    name: MessagingModule.processMessageJob, payload: event,
                    uniqueKey: "\(event.accountID):\(event.id)",
                    group: event.accountID)
            }
            let worker = try JobWorker(
                redis: harness.redis, catalog: catalog, registry: registry,
                configuration: JobWorkerConfiguration(
                    queues: [queue], concurrency: 4, fetchBatchSize: 4, leaseDuration: .seconds(5),
                    heartbeatInterval: .seconds(1), idleWait: .milliseconds(100), shutdownGracePeriod: .seconds(2)),
                logger: logger)
            let group = ServiceGroup(configuration: .init(services: [.init(service: worker)], logger: logger))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                try await waitFor { try await harness.sandbox.sent().count >= 2 }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            let sent = try await harness.sandbox.sent()
            #expect(sent.count == 2)
            #expect(Set(sent.map(\.recipient)) == ["c1", "c2"])
            try await deleteQueueKeys(queue, redis: harness.redis)
        }
    }
}

/// Polls `condition` every 50 ms until it holds, failing after `timeout`.
func waitFor(
    timeout: Duration = .seconds(20), _ condition: () async throws -> Bool,
    sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("condition not met within \(timeout)", sourceLocation: sourceLocation)
}

/// Deletes every Redis key of a test queue.
func deleteQueueKeys(_ queue: String, redis: RedisClient) async throws {
    var cursor = "0"
    repeat {
        let reply = try await redis.send("SCAN", cursor, "MATCH", "woodstock:jobs:\\{\(queue)\\}*", "COUNT", 1_000)
        guard let parts = reply.array, parts.count == 2 else { break }
        cursor = parts[0].string ?? "0"
        let keys = (parts[1].array ?? []).compactMap(\.bytes)
        if !keys.isEmpty { _ = try await redis.send(RedisCommand("DEL", arguments: keys)) }
    } while cursor != "0"
    _ = try await redis.send("SREM", "woodstock:jobs:queues", queue)
}
