import Foundation
import Redis
import TestSupport
import Testing

@testable import Jobs

@Suite struct JobFairnessTests {
    @Test("one job of group B runs within a few fetches after 50,000 jobs of group A")
    func groupsRoundRobin() async throws {
        let t = try JobsTestContext()
        let recorder = JobRecorder()
        var registry = JobRegistry()
        registry.register("tenant-work", payload: TestPayload.self) { payload, _ in await recorder.record(payload.tag) }
        let client = try t.client([JobDefinition(name: "tenant-work", queue: t.queue, groupTemplate: "{tag}")])
        for chunk in stride(from: 0, to: 50_000, by: 5_000) {
            _ = try await client.enqueue(
                batch: try (chunk..<chunk + 5_000).map {
                    try JobRequest(name: "tenant-work", payload: TestPayload(n: $0, tag: "A"))
                })
        }
        try await client.enqueue(name: "tenant-work", payload: TestPayload(n: 0, tag: "B"))
        #expect(try await t.stats().depth == 50_001)
        let worker = try JobWorker(
            redis: t.redis, catalog: client.catalog, registry: registry,
            configuration: testWorkerConfiguration(concurrency: 10, batch: 10, grace: .milliseconds(100)),
            logger: t.logger
        )
        try await t.withWorkers([worker]) {
            #expect(await recorder.wait { $0.contains("B") })
        }
        let position = try #require(await recorder.events.firstIndex(of: "B"))
        #expect(position < 20, "B ran after \(position) jobs of A")
        await t.cleanUp()
    }

    @Test("a group rate limit of 10/s holds across 3 workers")
    func groupRateLimit() async throws {
        let t = try JobsTestContext()
        let recorder = JobRecorder()
        var registry = JobRegistry()
        registry.register("send", payload: TestPayload.self) { payload, _ in
            await recorder.record("\(payload.tag) \(Int(Date().timeIntervalSince1970 * 1000))")
        }
        let definition = JobDefinition(name: "send", queue: t.queue, groupTemplate: "{tag}", groupRatePerSecond: 10)
        let client = try t.client([definition])
        _ = try await client.enqueue(
            batch: try (0..<25).map { try JobRequest(name: "send", payload: TestPayload(n: $0, tag: "acct")) })
        _ = try await client.enqueue(
            batch: try (0..<5).map { try JobRequest(name: "send", payload: TestPayload(n: $0, tag: "other")) })
        let workers = try (0..<3).map { _ in
            try JobWorker(
                redis: t.redis, catalog: client.catalog, registry: registry, configuration: testWorkerConfiguration(),
                logger: t.logger)
        }
        try await t.withWorkers(workers) {
            #expect(await recorder.wait(timeout: .seconds(15)) { $0.count >= 30 })
        }
        var starts: [String: [Int]] = [:]
        for event in await recorder.events {
            let parts = event.split(separator: " ")
            guard parts.count == 2, let ms = Int(parts[1]) else { continue }
            starts[String(parts[0]), default: []].append(ms)
        }
        let acct = (starts["acct"] ?? []).sorted()
        let other = (starts["other"] ?? []).sorted()
        #expect(acct.count == 25 && other.count == 5)
        // The limit counts fetches in one-second windows of the server's clock; a handler starts a few ms after
        // its fetch (later on a loaded machine), so start times are not bucketed by window here. What the limit
        // implies either way: the 21st start of a group comes no earlier than its third window, about a second
        // after its first (900 ms allows for start delays; without the limit all 25 start within milliseconds).
        // The other group is not held back by this one's limit.
        if acct.count == 25 {
            #expect(acct[20] - acct[0] >= 900, "acct starts (ms): \(acct)")
        }
        if let firstOther = other.first, acct.count == 25 {
            #expect(firstOther < acct[20], "the other group waited for acct's windows")
        }
        await t.cleanUp()
    }
}

/// Tracks how many runs of one group overlap.
actor ConcurrencyProbe {
    private(set) var current = 0
    private(set) var maximum = 0
    private(set) var finished = 0

    func enter() {
        current += 1
        maximum = max(maximum, current)
    }

    func leave() {
        current -= 1
        finished += 1
    }
}

@Suite struct JobGroupConcurrencyTests {
    @Test("a group concurrency cap of 2 holds across 3 workers, and every job still runs")
    func groupConcurrencyCap() async throws {
        let t = try JobsTestContext()
        let probe = ConcurrencyProbe()
        var registry = JobRegistry()
        registry.register("capped", payload: TestPayload.self) { _, _ in
            await probe.enter()
            try await Task.sleep(for: .milliseconds(20))
            await probe.leave()
        }
        let definition = JobDefinition(name: "capped", queue: t.queue, groupTemplate: "{tag}", groupConcurrency: 2)
        let client = try t.client([definition])
        _ = try await client.enqueue(
            batch: try (0..<20).map { try JobRequest(name: "capped", payload: TestPayload(n: $0, tag: "acct")) })
        let workers = try (0..<3).map { _ in
            try JobWorker(
                redis: t.redis, catalog: client.catalog, registry: registry, configuration: testWorkerConfiguration(),
                logger: t.logger)
        }
        try await t.withWorkers(workers) {
            try await waitFor(timeout: .seconds(15)) { await probe.finished >= 20 }
        }
        #expect(await probe.finished == 20)
        #expect(await probe.maximum == 2)
        #expect(try await t.redis.send("HLEN", JobKeys(queue: t.queue).active).int == 0)
        await t.cleanUp()
    }
}
