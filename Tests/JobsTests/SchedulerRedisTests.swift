import Foundation
import Logging
import Redis
import Synchronization
import TestSupport
import Testing

@testable import Jobs

/// Passes scheduled enqueues to the real engine (`JobClient`) and logs the keys it accepted.
final class EngineKeyLog: ScheduledJobEnqueuing {
    let client: JobClient
    private let accepted = Mutex<[String]>([])

    init(client: JobClient) { self.client = client }

    var enqueuedKeys: [String] { accepted.withLock { $0 } }

    func enqueueScheduled(jobName: String, payloadJSON: [UInt8], uniqueKey: String, uniqueFor: Duration) async throws
        -> Bool
    {
        let isNew = try await client.enqueueScheduled(
            jobName: jobName, payloadJSON: payloadJSON, uniqueKey: uniqueKey, uniqueFor: uniqueFor)
        if isNew { accepted.withLock { $0.append(uniqueKey) } }
        return isNew
    }
}

@Suite struct SchedulerRedisTests {
    /// Runs `body` with an isolated queue, marker hash and engine client; deletes their keys afterwards.
    static func withScheduledEngine(
        _ body: (JobsTestContext, EngineKeyLog, RedisScheduleMarkerStore) async throws -> Void
    ) async throws {
        let context = try JobsTestContext()
        let names = ["every-minute", "every-five", "twice-hourly", "hourly", "daily"]
        let client = try context.client(names.map { JobDefinition(name: $0, queue: context.queue) })
        let markers = RedisScheduleMarkerStore(redis: context.redis, key: "test:schedule:\(context.queue)")
        do {
            try await body(context, EngineKeyLog(client: client), markers)
        } catch {
            await context.cleanUp()
            _ = try? await context.redis.send("DEL", markers.key)
            throw error
        }
        await context.cleanUp()
        _ = try await context.redis.send("DEL", markers.key)
    }

    @Test("the Redis marker only moves forward")
    func markerMovesForward() async throws {
        try await Self.withScheduledEngine { _, _, markers in
            let initial = try await markers.lastScheduledMinutes(jobNames: ["a", "b"])
            let first = try await markers.recordScheduledMinute(utc("2026-03-01T10:05:30Z"), jobName: "a")
            let older = try await markers.recordScheduledMinute(utc("2026-03-01T10:04:00Z"), jobName: "a")
            let same = try await markers.recordScheduledMinute(utc("2026-03-01T10:05:00Z"), jobName: "a")
            let final = try await markers.lastScheduledMinutes(jobNames: ["a", "b"])
            #expect(initial.isEmpty)
            #expect(first && !older && !same)
            #expect(final == ["a": utc("2026-03-01T10:05:00Z")])
        }
    }

    @Test("three schedulers on real Redis over a simulated hour enqueue each tick exactly once")
    func threeSchedulersOnRedis() async throws {
        try await Self.withScheduledEngine { context, engine, markers in
            try await SchedulerTests.runSchedulers(
                3, from: "2026-03-01T09:59:30Z", until: "2026-03-01T11:00:30Z", enqueuer: engine, markers: markers)
            let keys = engine.enqueuedKeys
            let expected = SchedulerTests.expectedKeys(from: "2026-03-01T09:59:00Z", through: "2026-03-01T11:00:00Z")
            #expect(keys.count == Set(keys).count, "a tick was enqueued twice")
            #expect(keys.sorted() == expected.sorted())
            let depth = try await context.stats().depth
            #expect(depth == expected.count, "jobs in the queue")
        }
    }

    @Test("on real Redis, a stretch missed while every scheduler was down is caught up once")
    func missedStretchOnRedis() async throws {
        try await Self.withScheduledEngine { context, engine, markers in
            try await SchedulerTests.runSchedulers(
                2, from: "2026-03-01T10:00:10Z", until: "2026-03-01T10:20:30Z", enqueuer: engine, markers: markers)
            try await SchedulerTests.runSchedulers(
                3, from: "2026-03-01T10:47:10Z", until: "2026-03-01T11:00:30Z", enqueuer: engine, markers: markers)
            let caughtUp = [
                "every-five@2026-03-01T10:45Z", "twice-hourly@2026-03-01T10:37Z", "daily@2026-03-01T10:30Z",
            ]
            let before = SchedulerTests.expectedKeys(from: "2026-03-01T10:00:00Z", through: "2026-03-01T10:20:00Z")
            let after = SchedulerTests.expectedKeys(from: "2026-03-01T10:47:00Z", through: "2026-03-01T11:00:00Z")
            let expected = before + caughtUp + after
            #expect(engine.enqueuedKeys.sorted() == expected.sorted())
            let depth = try await context.stats().depth
            #expect(depth == expected.count, "jobs in the queue")
        }
    }
}
