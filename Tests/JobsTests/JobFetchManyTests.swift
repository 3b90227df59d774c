import Foundation
import Redis
import TestSupport
import Testing

@testable import Jobs

/// The one-round-trip fetch over several queues (`JobScripts.fetchMany`). A single server's: on a Cluster the queues'
/// keys live in different slots, so the worker fetches queue by queue and never wakes with a fetch.
@Suite(.disabled(if: TestEnvironment.redisIsCluster, "fetchMany spans every queue's slot: single server only"))
struct JobFetchManyTests {
    @Test("one fetch fills from the higher-priority queue first, then the next; counts follow the key order")
    func fillsInPriorityOrder() async throws {
        let t = try JobsTestContext()
        let high = t.queue + "_high"
        let low = t.queue + "_low"
        let client = try t.client([
            JobDefinition(name: "high", queue: high, priority: 10), JobDefinition(name: "low", queue: low, priority: 1),
        ])
        _ = try await client.enqueue(
            batch: try (0..<3).map { try JobRequest(name: "high", payload: TestPayload(n: $0)) })
        _ = try await client.enqueue(
            batch: try (0..<5).map { try JobRequest(name: "low", payload: TestPayload(n: $0)) })
        let now = Int(JobEnvelope.milliseconds(Date()))
        let reply = try await t.redis.run(
            JobScripts.fetchMany, keys: [JobKeys(queue: high).prefix, JobKeys(queue: low).prefix],
            arguments: [now, 4, now + 30_000])
        let result = try JobWorker.fetchResult(fromMany: reply, queues: [high, low])
        #expect(result.jobs.map(\.queue) == [high, high, high, low])
        #expect(try await t.stats(high).running == 3)
        #expect(try await t.stats(low).running == 1)
        #expect(try await t.stats(low).depth == 4)
        await t.cleanUp([high, low])
    }

    @Test("a queue left nothing to fetch is skipped; an empty fetch reports the earliest delayed job")
    func hintAndSkip() async throws {
        let t = try JobsTestContext()
        let first = t.queue + "_a"
        let second = t.queue + "_b"
        let client = try t.client([
            JobDefinition(name: "a", queue: first, priority: 10), JobDefinition(name: "b", queue: second, priority: 1),
        ])
        let runAt = Date().addingTimeInterval(60)
        try await client.enqueue(name: "b", payload: TestPayload(n: 1), runAt: runAt)
        let now = Int(JobEnvelope.milliseconds(Date()))
        let keys = [JobKeys(queue: first).prefix, JobKeys(queue: second).prefix]
        let empty = try JobWorker.fetchResult(
            fromMany: try await t.redis.run(JobScripts.fetchMany, keys: keys, arguments: [now, 10, now + 30_000]),
            queues: [first, second])
        #expect(empty.jobs.isEmpty)
        #expect(abs(empty.hintMilliseconds - JobEnvelope.milliseconds(runAt)) < 5)
        _ = try await client.enqueue(batch: try (0..<2).map { try JobRequest(name: "a", payload: TestPayload(n: $0)) })
        let full = try JobWorker.fetchResult(
            fromMany: try await t.redis.run(JobScripts.fetchMany, keys: keys, arguments: [now, 2, now + 30_000]),
            queues: [first, second])
        #expect(full.jobs.map(\.queue) == [first, first])
        #expect(full.hintMilliseconds == 0)  // the second queue was not consulted
        await t.cleanUp([first, second])
    }

    @Test("waking on an enqueue leases the job in the same round trip, with a lease from the server's clock")
    func wakeFetches() async throws {
        let t = try JobsTestContext()
        let client = try t.client([JobDefinition(name: "w", queue: t.queue)])
        var registry = JobRegistry()
        registry.register("w", payload: TestPayload.self) { _, _ in }
        var configuration = testWorkerConfiguration(queues: [t.queue])
        configuration.idleWait = .seconds(5)
        let worker = try JobWorker(
            redis: t.redis, catalog: client.catalog, registry: registry, configuration: configuration, logger: t.logger)
        defer { worker.wakeConnection.close() }
        #expect(try await worker.fetch(want: 1).jobs.isEmpty)  // loads the script on the server
        async let woken = worker.waitForWork(hintMilliseconds: 0, want: 5)
        try await Task.sleep(for: .milliseconds(200))
        try await client.enqueue(name: "w", payload: TestPayload(n: 7))
        let result = await woken
        #expect(result.jobs.map(\.queue) == [t.queue])
        #expect(try await t.stats().running == 1)
        let deadline = try await t.redis.send("ZRANGE", JobKeys(queue: t.queue).prefix + ":running", 0, 0, "WITHSCORES")
        let leaseEnd = Int64(deadline.array?.last?.string ?? "") ?? 0
        let expected = JobEnvelope.milliseconds(Date()) + 2_000
        #expect(abs(leaseEnd - expected) < 500)
        await t.cleanUp()
    }

    @Test("a reply whose counts overrun it is refused, not misread")
    func shortReplyRefused() throws {
        let reply = RedisReply.array([.integer(0), .integer(3), .bulk(Array("x".utf8))])
        #expect(throws: RedisError.self) { try JobWorker.fetchResult(fromMany: reply, queues: ["q"]) }
    }
}
