import Foundation
import Redis
import TestSupport
import Testing

@testable import Jobs

@Suite struct JobReliabilityTests {
    @Test("50 concurrent enqueues with the same unique key make exactly one job")
    func uniqueKey() async throws {
        let t = try JobsTestContext()
        let client = try t.client([JobDefinition(name: "once", queue: t.queue, uniqueKeyTemplate: "{tag}")])
        let outcomes = try await withThrowingTaskGroup(of: EnqueueOutcome.self) { group in
            for n in 0..<50 {
                group.addTask { try await client.enqueue(name: "once", payload: TestPayload(n: n, tag: "mid-1")) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 != .duplicate }.count == 1)
        #expect(try await t.stats().depth == 1)
        let explicit = try await client.enqueue(name: "once", payload: TestPayload(n: 1, tag: "x"), uniqueKey: "mid-2")
        let again = try await client.enqueue(name: "once", payload: TestPayload(n: 2, tag: "y"), uniqueKey: "mid-2")
        #expect(explicit.jobID != nil && again == .duplicate)
        await t.cleanUp()
    }

    @Test("a paused queue is not fetched from until resumed")
    func pauseResume() async throws {
        let t = try JobsTestContext()
        let other = t.queue + "_other"
        let definitions = [
            JobDefinition(name: "paused", queue: t.queue, priority: 10),
            JobDefinition(name: "canary", queue: other, priority: 1),
        ]
        let recorder = JobRecorder()
        var registry = JobRegistry()
        registry.register("paused", payload: TestPayload.self) { _, _ in await recorder.record("paused") }
        registry.register("canary", payload: TestPayload.self) { _, _ in await recorder.record("canary") }
        let client = try t.client(definitions)
        let admin = JobQueueAdmin(redis: t.redis)
        try await admin.pause(queue: t.queue)
        try await client.enqueue(name: "paused", payload: TestPayload(n: 1))
        try await client.enqueue(name: "canary", payload: TestPayload(n: 1))
        #expect(try await t.stats().isPaused)
        let worker = try JobWorker(
            redis: t.redis, catalog: client.catalog, registry: registry, configuration: testWorkerConfiguration(),
            logger: t.logger)
        try await t.withWorkers([worker]) {
            // The paused queue has the higher priority: had it been fetched, its job would have run first.
            #expect(await recorder.wait { $0.contains("canary") })
            #expect(await recorder.events == ["canary"])
            try await admin.resume(queue: t.queue)
            #expect(await recorder.wait { $0.contains("paused") })
        }
        await t.cleanUp([t.queue, other])
    }

    @Test("graceful shutdown hands unfinished jobs straight back to the queue")
    func shutdownHandsBack() async throws {
        let t = try JobsTestContext()
        let recorder = JobRecorder()
        var registry = JobRegistry()
        registry.register("stuck", payload: TestPayload.self) { payload, _ in
            await recorder.record("started \(payload.n)")
            if payload.n == 0 { return }
            try await Task.sleep(for: .seconds(60))
        }
        let client = try t.client([JobDefinition(name: "stuck", queue: t.queue, timeout: .seconds(120))])
        _ = try await client.enqueue(
            batch: try (0..<3).map { try JobRequest(name: "stuck", payload: TestPayload(n: $0)) })
        let worker = try JobWorker(
            redis: t.redis, catalog: client.catalog, registry: registry,
            configuration: testWorkerConfiguration(grace: .milliseconds(300)), logger: t.logger
        )
        try await t.withWorkers([worker]) {
            #expect(await recorder.wait { $0.count >= 3 })
        }
        let stats = try await t.stats()
        #expect(stats.running == 0)
        #expect(stats.depth == 2)
        #expect(stats.dead == 0 && stats.retries == 0)
        await t.cleanUp()
    }

    @Test("an expired lease (worker killed) is reaped and run again; on the last allowed attempt it goes dead")
    func reaperRequeues() async throws {
        let t = try JobsTestContext()
        let recorder = JobRecorder()
        var registry = JobRegistry()
        registry.register("orphan", payload: TestPayload.self) { payload, context in
            await recorder.record("ran \(payload.n) attempt \(context.attempt)")
        }
        let client = try t.client([JobDefinition(name: "orphan", queue: t.queue, maxAttempts: 2)])
        try await client.enqueue(name: "orphan", payload: TestPayload(n: 42))
        try await client.enqueue(name: "orphan", payload: TestPayload(n: 43), runAt: Date().addingTimeInterval(3600))
        // A worker that leased the job and then died: its lease deadline is already in the past.
        func leaseAndDie() async throws -> Int {
            let now = Int(JobEnvelope.milliseconds(Date()))
            let leased = try await t.redis.run(
                JobScripts.fetch, keys: [JobKeys(queue: t.queue).prefix], arguments: [now, 10, now - 1])
            _ = try await t.redis.run(JobScripts.reap, keys: [JobKeys(queue: t.queue).prefix], arguments: [now, 100])
            return (leased.array?.count ?? 2) - 2
        }
        #expect(try await leaseAndDie() == 1)
        let now = Int(JobEnvelope.milliseconds(Date()))
        _ = try await t.redis.run(
            JobScripts.fetch, keys: [JobKeys(queue: t.queue).prefix], arguments: [now, 10, now - 1])
        #expect(try await t.stats().running == 1)
        let worker = try JobWorker(
            redis: t.redis, catalog: client.catalog, registry: registry, configuration: testWorkerConfiguration(),
            logger: t.logger)
        try await t.withWorkers([worker]) {
            let deadline = ContinuousClock.now + .seconds(10)
            while try await t.stats().dead == 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        // Two lost runs used both attempts: the worker never ran it and moved it to the dead set.
        #expect(await recorder.events.isEmpty)
        let dead = try await JobQueueAdmin(redis: t.redis).deadJobs(queue: t.queue)
        #expect(dead.first?.lastError?.contains("lease expired") == true)
        #expect(try await t.stats().running == 0)

        try await client.enqueue(name: "orphan", payload: TestPayload(n: 44))
        #expect(try await leaseAndDie() == 1)
        let worker2 = try JobWorker(
            redis: t.redis, catalog: client.catalog, registry: registry, configuration: testWorkerConfiguration(),
            logger: t.logger)
        try await t.withWorkers([worker2]) {
            #expect(await recorder.wait { $0.contains("ran 44 attempt 2") })
        }
        await t.cleanUp()
    }

    @Test("a job whose name no handler knows goes to the dead set with a clear error")
    func unknownJobName() async throws {
        let t = try JobsTestContext()
        let recorder = JobRecorder()
        var registry = JobRegistry()
        registry.register("known", payload: TestPayload.self) { _, _ in await recorder.record("known") }
        let client = try t.client([JobDefinition(name: "known", queue: t.queue)])
        let stranger = JobEnvelope(
            id: "stranger1", name: "retired-job", group: "_", enqueuedAtMilliseconds: 1, payload: Array("{}".utf8))
        _ = try await t.redis.run(
            JobScripts.enqueue, keys: [JobKeys(queue: t.queue).prefix],
            arguments: [0, "_", stranger.encoded(), 0, "", 1000]
        )
        try await client.enqueue(name: "known", payload: TestPayload(n: 1))
        let worker = try JobWorker(
            redis: t.redis, catalog: client.catalog, registry: registry, configuration: testWorkerConfiguration(),
            logger: t.logger)
        try await t.withWorkers([worker]) {
            #expect(await recorder.wait { $0.contains("known") })
            let deadline = ContinuousClock.now + .seconds(5)
            while try await t.stats().dead == 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        let dead = try await JobQueueAdmin(redis: t.redis).deadJobs(queue: t.queue)
        #expect(dead.map(\.id) == ["stranger1"])
        #expect(dead.first?.lastError?.contains("unknown job name 'retired-job'") == true)
        await t.cleanUp()
    }

    @Test("a handler without a catalog entry, and the reverse, fail start-up naming both")
    func registryValidation() throws {
        let t = try JobsTestContext()
        var registry = JobRegistry()
        registry.register("orphan-handler", payload: TestPayload.self) { _, _ in }
        let catalog = try JobCatalog([JobDefinition(name: "no-handler", queue: t.queue)])
        #expect {
            _ = try JobWorker(redis: t.redis, catalog: catalog, registry: registry, logger: t.logger)
        } throws: { error in
            let text = String(describing: error)
            return text.contains("orphan-handler") && text.contains("no-handler")
        }
    }
}
