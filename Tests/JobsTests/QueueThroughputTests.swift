import Foundation
import Redis
import TestSupport
import Testing

@testable import Jobs

@Suite struct QueueThroughputTests {
    @Test("acknowledgements count done, failed and killed runs per minute, with latency")
    func countsPerMinute() async throws {
        let t = try JobsTestContext()
        let definitions = [
            JobDefinition(name: "ok", queue: t.queue),
            JobDefinition(name: "doomed", queue: t.queue, maxAttempts: 2, backoff: quickBackoff()),
        ]
        let recorder = JobRecorder()
        var registry = JobRegistry()
        registry.register("ok", payload: TestPayload.self) { payload, _ in await recorder.record("ok \(payload.n)") }
        registry.register("doomed", payload: TestPayload.self) { _, context in
            await recorder.record("doomed \(context.attempt)")
            throw JobError(.handlerFailed, message: "no")
        }
        let client = try t.client(definitions)
        let before = Date()
        _ = try await client.enqueue(
            batch: try (0..<30).map { try JobRequest(name: "ok", payload: TestPayload(n: $0)) })
        try await client.enqueue(name: "doomed", payload: TestPayload(n: 0))
        let worker = try JobWorker(
            redis: t.redis, catalog: client.catalog, registry: registry, configuration: testWorkerConfiguration(),
            logger: t.logger)
        let admin = JobQueueAdmin(redis: t.redis)
        try await t.withWorkers([worker]) {
            #expect(await recorder.wait { $0.count >= 32 })
            let deadline = ContinuousClock.now + .seconds(10)
            while try await t.stats().dead < 1, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        let series = try #require(try await admin.throughput(queues: [t.queue], minutes: 5).first)
        #expect(series.queue == t.queue)
        #expect(series.minutes.count == 5)
        #expect(series.done == 30)
        #expect(series.failed == 1)
        #expect(series.killed == 1)
        let elapsed = Date().timeIntervalSince(before) * 1000
        #expect(series.latencyMaxMilliseconds <= Int(elapsed) + 1)
        #expect((series.latencyMeanMilliseconds ?? -1) >= 0)
        let all = QueueThroughput.sum([series, series])
        #expect(all.done == 60 && all.queue == "all")
        let empty = try await admin.throughput(queues: ["\(t.queue)-none"], minutes: 60)
        #expect(empty.first?.done == 0 && empty.first?.minutes.count == 60)
        await t.cleanUp()
    }

    @Test("dead jobs page by offset, newest first")
    func deadPaging() async throws {
        let t = try JobsTestContext()
        let definition = JobDefinition(name: "doomed", queue: t.queue, maxAttempts: 1)
        let recorder = JobRecorder()
        var registry = JobRegistry()
        registry.register("doomed", payload: TestPayload.self) { payload, _ in
            await recorder.record("\(payload.n)")
            throw JobError(.handlerFailed, message: "no")
        }
        let client = try t.client([definition])
        _ = try await client.enqueue(
            batch: try (0..<7).map { try JobRequest(name: "doomed", payload: TestPayload(n: $0)) })
        let worker = try JobWorker(
            redis: t.redis, catalog: client.catalog, registry: registry, configuration: testWorkerConfiguration(),
            logger: t.logger)
        try await t.withWorkers([worker]) {
            let deadline = ContinuousClock.now + .seconds(10)
            while try await t.stats().dead < 7, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        let admin = JobQueueAdmin(redis: t.redis)
        let all = try await admin.deadJobs(queue: t.queue, limit: 100)
        let first = try await admin.deadJobs(queue: t.queue, offset: 0, limit: 3)
        let second = try await admin.deadJobs(queue: t.queue, offset: 3, limit: 3)
        let last = try await admin.deadJobs(queue: t.queue, offset: 6, limit: 3)
        #expect(all.count == 7)
        #expect((first + second + last).map(\.id) == all.map(\.id))
        #expect(try await admin.deadJobs(queue: t.queue, offset: 0, limit: 0).isEmpty)
        await t.cleanUp()
    }
}
