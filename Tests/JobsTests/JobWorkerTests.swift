import Foundation
import Redis
import TestSupport
import Testing

@testable import Jobs

@Suite struct JobWorkerTests {
    @Test("enqueued jobs all run once and leave nothing behind")
    func runsJobs() async throws {
        let t = try JobsTestContext()
        let definition = JobDefinition(name: "echo", queue: t.queue)
        let recorder = JobRecorder()
        var registry = JobRegistry()
        registry.register("echo", payload: TestPayload.self) { payload, _ in await recorder.record("\(payload.n)") }
        let client = try t.client([definition])
        let outcomes = try await client.enqueue(
            batch: try (0..<200).map { try JobRequest(name: "echo", payload: TestPayload(n: $0)) })
        #expect(outcomes.allSatisfy { $0.jobID != nil })
        let worker = try JobWorker(
            redis: t.redis, catalog: client.catalog, registry: registry, configuration: testWorkerConfiguration(),
            logger: t.logger)
        try await t.withWorkers([worker]) {
            #expect(await recorder.wait { $0.count >= 200 })
        }
        #expect(Set(await recorder.events) == Set((0..<200).map(String.init)))
        let stats = try await t.stats()
        #expect(stats.depth == 0 && stats.running == 0 && stats.dead == 0 && stats.retries == 0)
        await t.cleanUp()
    }

    @Test("a failing job is retried with backoff and succeeds on its third run")
    func retries() async throws {
        let t = try JobsTestContext()
        let definition = JobDefinition(name: "flaky", queue: t.queue, maxAttempts: 5, backoff: quickBackoff())
        let recorder = JobRecorder()
        var registry = JobRegistry()
        registry.register("flaky", payload: TestPayload.self) { _, context in
            await recorder.record("run \(context.attempt)")
            if context.attempt < 3 { throw JobError(.handlerFailed, message: "boom \(context.attempt)") }
        }
        let client = try t.client([definition])
        try await client.enqueue(name: "flaky", payload: TestPayload(n: 1))
        let worker = try JobWorker(
            redis: t.redis, catalog: client.catalog, registry: registry, configuration: testWorkerConfiguration(),
            logger: t.logger)
        try await t.withWorkers([worker]) {
            #expect(await recorder.wait { $0.count >= 3 })
        }
        #expect(await recorder.events == ["run 1", "run 2", "run 3"])
        let stats = try await t.stats()
        #expect(stats.dead == 0 && stats.retries == 0 && stats.running == 0)
        await t.cleanUp()
    }

    @Test("after max attempts a job is in the dead set with its last error and history; retry and purge work")
    func deadSet() async throws {
        let t = try JobsTestContext()
        let definition = JobDefinition(name: "doomed", queue: t.queue, maxAttempts: 2, backoff: quickBackoff())
        let recorder = JobRecorder()
        var registry = JobRegistry()
        registry.register("doomed", payload: TestPayload.self) { _, context in
            await recorder.record("run \(context.attempt)")
            throw JobError(.handlerFailed, message: "always fails (\(context.attempt))")
        }
        let client = try t.client([definition])
        let id = try #require(try await client.enqueue(name: "doomed", payload: TestPayload(n: 7)).jobID)
        let admin = JobQueueAdmin(redis: t.redis)
        let worker = try JobWorker(
            redis: t.redis, catalog: client.catalog, registry: registry, configuration: testWorkerConfiguration(),
            logger: t.logger)
        try await t.withWorkers([worker]) {
            let deadline = ContinuousClock.now + .seconds(10)
            while try await t.stats().dead == 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        #expect(await recorder.events == ["run 1", "run 2"])
        let dead = try await admin.deadJobs(queue: t.queue)
        #expect(dead.count == 1)
        let job = try #require(dead.first)
        #expect(job.id == id && job.attempts == 2 && job.history.count == 2)
        #expect(job.lastError?.contains("always fails (2)") == true)
        #expect(try await admin.deadJob(queue: t.queue, id: String(id.prefix(8)))?.payloadJSON.contains("7") == true)
        #expect(try await admin.retryDead(queue: t.queue) == 1)
        var stats = try await t.stats()
        #expect(stats.dead == 0 && stats.depth == 1)
        try await admin.pause(queue: t.queue)
        let worker2 = try JobWorker(
            redis: t.redis, catalog: client.catalog, registry: registry, configuration: testWorkerConfiguration(),
            logger: t.logger)
        try await admin.resume(queue: t.queue)
        try await t.withWorkers([worker2]) {
            let deadline = ContinuousClock.now + .seconds(10)
            while try await t.stats().dead == 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        #expect(try await admin.purgeDead(queue: t.queue) == 1)
        stats = try await t.stats()
        #expect(stats.dead == 0 && stats.depth == 0)
        await t.cleanUp()
    }

    @Test("a delayed job waits in the scheduled set, then runs no earlier than its run-at time")
    func delayed() async throws {
        let t = try JobsTestContext()
        let definition = JobDefinition(name: "later", queue: t.queue)
        let recorder = JobRecorder()
        var registry = JobRegistry()
        registry.register("later", payload: TestPayload.self) { _, _ in
            await recorder.record("\(Date().timeIntervalSince1970)")
        }
        let client = try t.client([definition])
        let runAt = Date().addingTimeInterval(0.5)
        try await client.enqueue(name: "later", payload: TestPayload(n: 1), runAt: runAt)
        let stats = try await t.stats()
        #expect(stats.scheduled == 1 && stats.depth == 0)
        let worker = try JobWorker(
            redis: t.redis, catalog: client.catalog, registry: registry, configuration: testWorkerConfiguration(),
            logger: t.logger)
        try await t.withWorkers([worker]) {
            #expect(await recorder.wait { $0.count >= 1 })
        }
        let ranAt = try #require(Double(await recorder.events.first ?? ""))
        #expect(ranAt >= runAt.timeIntervalSince1970 - 0.002)
        await t.cleanUp()
    }

    @Test("a worker fetches the higher-priority queue first")
    func priority() async throws {
        let t = try JobsTestContext()
        let low = t.queue + "_low"
        let high = t.queue + "_high"
        let definitions = [
            JobDefinition(name: "low", queue: low, priority: 1), JobDefinition(name: "high", queue: high, priority: 10),
        ]
        let recorder = JobRecorder()
        var registry = JobRegistry()
        registry.register("low", payload: TestPayload.self) { _, _ in await recorder.record("low") }
        registry.register("high", payload: TestPayload.self) { _, _ in await recorder.record("high") }
        let client = try t.client(definitions)
        _ = try await client.enqueue(
            batch: try (0..<20).map { try JobRequest(name: "low", payload: TestPayload(n: $0)) })
        _ = try await client.enqueue(
            batch: try (0..<20).map { try JobRequest(name: "high", payload: TestPayload(n: $0)) })
        let worker = try JobWorker(
            redis: t.redis, catalog: client.catalog, registry: registry,
            configuration: testWorkerConfiguration(concurrency: 1, batch: 1), logger: t.logger
        )
        try await t.withWorkers([worker]) {
            #expect(await recorder.wait { $0.count >= 40 })
        }
        let events = await recorder.events
        #expect(Array(events.prefix(20)) == Array(repeating: "high", count: 20))
        await t.cleanUp([low, high])
    }

    @Test("a run past its timeout is cancelled and counted as a failure")
    func timeout() async throws {
        let t = try JobsTestContext()
        let definition = JobDefinition(name: "slow", queue: t.queue, maxAttempts: 1, timeout: .milliseconds(200))
        let recorder = JobRecorder()
        var registry = JobRegistry()
        registry.register("slow", payload: TestPayload.self) { _, _ in
            do {
                try await Task.sleep(for: .seconds(30))
                await recorder.record("finished")
            } catch {
                await recorder.record("cancelled")
                throw error
            }
        }
        let client = try t.client([definition])
        try await client.enqueue(name: "slow", payload: TestPayload(n: 1))
        let worker = try JobWorker(
            redis: t.redis, catalog: client.catalog, registry: registry, configuration: testWorkerConfiguration(),
            logger: t.logger)
        try await t.withWorkers([worker]) {
            #expect(await recorder.wait { $0.contains("cancelled") })
            let deadline = ContinuousClock.now + .seconds(5)
            while try await t.stats().dead == 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        let dead = try await JobQueueAdmin(redis: t.redis).deadJobs(queue: t.queue)
        #expect(dead.first?.lastError?.contains("timed out") == true)
        await t.cleanUp()
    }
}
