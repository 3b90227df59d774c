import Foundation
import Redis
import TestSupport
import Testing

@testable import Jobs

/// A handler error that carries a remote side's `Retry-After`.
private struct RemoteBusy: JobRetryDelaying {
    var retryAfter: Duration?
}

@Suite struct JobRetryAfterTests {
    @Test("the retry delay is max(backoff, retryAfter); other errors and nil keep the backoff")
    func arithmetic() {
        #expect(JobRetryDelay.seconds(backoff: 0.5, error: RemoteBusy(retryAfter: .seconds(3))) == 3)
        #expect(JobRetryDelay.seconds(backoff: 10, error: RemoteBusy(retryAfter: .seconds(3))) == 10)
        #expect(JobRetryDelay.seconds(backoff: 0.5, error: RemoteBusy(retryAfter: nil)) == 0.5)
        #expect(JobRetryDelay.seconds(backoff: 0.5, error: RemoteBusy(retryAfter: .seconds(-4))) == 0.5)
        #expect(JobRetryDelay.seconds(backoff: 0.5, error: JobError(.handlerFailed)) == 0.5)
        #expect(JobRetryDelay.seconds(backoff: 1, error: RemoteBusy(retryAfter: .seconds(10_000_000))) == 86_400)
    }

    @Test("a handler error carrying Retry-After schedules the retry no earlier than that, then the job runs")
    func honoured() async throws {
        let t = try JobsTestContext()
        let definition = JobDefinition(name: "busy", queue: t.queue, maxAttempts: 3, backoff: quickBackoff())
        let recorder = JobRecorder()
        var registry = JobRegistry()
        registry.register("busy", payload: TestPayload.self) { _, context in
            await recorder.record("\(context.attempt) \(Date().timeIntervalSince1970)")
            if context.attempt == 1 { throw RemoteBusy(retryAfter: .milliseconds(1_500)) }
        }
        let client = try t.client([definition])
        try await client.enqueue(name: "busy", payload: TestPayload(n: 1))
        let worker = try JobWorker(
            redis: t.redis, catalog: client.catalog, registry: registry, configuration: testWorkerConfiguration(),
            logger: t.logger)
        try await t.withWorkers([worker]) {
            #expect(await recorder.wait { $0.count >= 2 })
        }
        #expect(await recorder.events.map { $0.split(separator: " ").first ?? "" } == ["1", "2"])
        // The catalog's backoff is 10–50 ms: only the error's Retry-After can explain the wait.
        let times = await recorder.events.compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
        try #require(times.count == 2)
        #expect(times[1] - times[0] >= 1.5)
        let stats = try await t.stats()
        #expect(stats.dead == 0 && stats.retries == 0 && stats.running == 0 && stats.depth == 0)
        await t.cleanUp()
    }
}
