import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import Jobs

@Suite struct SchedulerTests {
    static let crontabText = """
        * * * * *     woodstock enqueue every-minute --scheduled
        */5 * * * *   woodstock enqueue every-five --scheduled
        7,37 * * * *  woodstock enqueue twice-hourly --scheduled
        @hourly       woodstock enqueue hourly --scheduled
        30 10 * * *   woodstock enqueue daily --scheduled
        """

    /// The keys that should be enqueued for minutes `from...through`, computed without `CronExpression`.
    static func expectedKeys(from: String, through: String) -> [String] {
        var keys: [String] = []
        var time = utc(from)
        while time <= utc(through) {
            let minute = Int(time.timeIntervalSince1970 / 60) % 60
            let hour = Int(time.timeIntervalSince1970 / 3_600) % 24
            var jobs = ["every-minute"]
            if minute % 5 == 0 { jobs.append("every-five") }
            if minute == 7 || minute == 37 { jobs.append("twice-hourly") }
            if minute == 0 { jobs.append("hourly") }
            if hour == 10, minute == 30 { jobs.append("daily") }
            keys += jobs.map { ScheduledTick.uniqueKey(jobName: $0, minute: time) }
            time = time.addingTimeInterval(60)
        }
        return keys
    }

    /// Runs `count` schedulers on a simulated clock from `start` until simulated time passes `end`.
    static func runSchedulers(
        _ count: Int,
        from start: String,
        until end: String,
        enqueuer: any ScheduledJobEnqueuing,
        markers: any ScheduleMarkerStore
    ) async throws {
        let clock = SimulatedClock(start: utc(start), end: utc(end), participants: count)
        let crontab = try Crontab(parsing: crontabText)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                let scheduler = Scheduler(
                    crontab: crontab, enqueuer: enqueuer, markers: markers, clock: clock,
                    logger: Logger(label: "test.scheduler.\(index)")
                )
                group.addTask { try await scheduler.run() }
            }
            await clock.finished()
            group.cancelAll()
            try await group.waitForAll()
        }
    }

    @Test("three schedulers over a simulated hour enqueue each tick exactly once")
    func threeSchedulersOneHour() async throws {
        let markers = InMemoryMarkers()
        let enqueuer = KeyLog()
        try await Self.runSchedulers(
            3, from: "2026-03-01T09:59:30Z", until: "2026-03-01T11:00:30Z", enqueuer: enqueuer, markers: markers)
        let keys = enqueuer.enqueuedKeys
        #expect(keys.count == Set(keys).count, "a tick was enqueued twice")
        let expected = Self.expectedKeys(from: "2026-03-01T09:59:00Z", through: "2026-03-01T11:00:00Z")
        #expect(keys.sorted() == expected.sorted())
        let expectedCount = 80  // 62 every-minute, 13 every-five, 2 twice-hourly, 2 hourly, 1 daily
        #expect(keys.count == expectedCount)
        #expect(enqueuer.attempts >= keys.count)
        let last = try await markers.lastScheduledMinutes(jobNames: ["every-minute", "daily"])
        #expect(last == ["every-minute": utc("2026-03-01T11:00:00Z"), "daily": utc("2026-03-01T10:30:00Z")])
    }

    @Test("a stretch missed while every scheduler was down is caught up once, not once per scheduler or tick")
    func missedStretchCaughtUpOnce() async throws {
        let markers = InMemoryMarkers()
        let enqueuer = KeyLog()
        try await Self.runSchedulers(
            1, from: "2026-03-01T10:00:10Z", until: "2026-03-01T10:20:30Z", enqueuer: enqueuer, markers: markers)
        // All schedulers down from 10:20:30 to 10:47:10; then three come back at once.
        try await Self.runSchedulers(
            3, from: "2026-03-01T10:47:10Z", until: "2026-03-01T11:00:30Z", enqueuer: enqueuer, markers: markers)

        let keys = enqueuer.enqueuedKeys
        #expect(keys.count == Set(keys).count, "a tick was enqueued twice")
        let caughtUp = ["every-five@2026-03-01T10:45Z", "twice-hourly@2026-03-01T10:37Z", "daily@2026-03-01T10:30Z"]
        let before = Self.expectedKeys(from: "2026-03-01T10:00:00Z", through: "2026-03-01T10:20:00Z")
        let after = Self.expectedKeys(from: "2026-03-01T10:47:00Z", through: "2026-03-01T11:00:00Z")
        #expect(keys.sorted() == (before + caughtUp + after).sorted())
        #expect(!keys.contains("every-minute@2026-03-01T10:21Z") && !keys.contains("every-five@2026-03-01T10:25Z"))
    }

    @Test("a missed tick older than the catch-up window is not caught up")
    func catchUpWindow() async throws {
        let clock = SimulatedClock(
            start: utc("2026-03-01T10:00:00Z"), end: utc("2026-03-01T12:00:00Z"), participants: 1)
        let enqueuer = KeyLog()
        let markers = InMemoryMarkers()
        let scheduler = Scheduler(
            crontab: try Crontab(parsing: Self.crontabText), enqueuer: enqueuer, markers: markers, clock: clock,
            catchUpWindow: .seconds(15 * 60), logger: Logger(label: "test")
        )
        #expect(await scheduler.tick(at: utc("2026-03-01T10:00:05Z")).count == 3)
        let results = await scheduler.tick(at: utc("2026-03-01T10:47:10Z"))
        #expect(
            Set(results.map(\.jobName)) == ["every-minute", "every-five", "twice-hourly"],
            "daily@10:30 is 17 minutes old, beyond the 15-minute window"
        )
        #expect(results.allSatisfy { $0.outcome == .enqueued })
    }

    @Test("with no marker yet, only the current minute's entries are enqueued")
    func firstStart() async throws {
        let clock = SimulatedClock(
            start: utc("2026-03-01T10:00:00Z"), end: utc("2026-03-01T12:00:00Z"), participants: 1)
        let scheduler = Scheduler(
            crontab: try Crontab(parsing: Self.crontabText), enqueuer: KeyLog(),
            markers: InMemoryMarkers(), clock: clock, logger: Logger(label: "test")
        )
        let results = await scheduler.tick(at: utc("2026-03-01T10:47:10Z"))
        #expect(
            results == [
                .init(jobName: "every-minute", scheduledMinute: utc("2026-03-01T10:47:00Z"), outcome: .enqueued)
            ])
        #expect(await scheduler.tick(at: utc("2026-03-01T10:47:40Z")).isEmpty, "the same minute twice")
    }

    @Test("system cron's `woodstock enqueue --scheduled` and a scheduler enqueue the tick once")
    func systemCronAndScheduler() async throws {
        let clock = SimulatedClock(
            start: utc("2026-03-01T10:00:00Z"), end: utc("2026-03-01T12:00:00Z"), participants: 1)
        let enqueuer = KeyLog()
        let markers = InMemoryMarkers()
        let crontab = try Crontab(parsing: "*/5 * * * * woodstock enqueue every-five --scheduled")
        let scheduler = Scheduler(
            crontab: crontab, enqueuer: enqueuer, markers: markers, clock: clock, logger: Logger(label: "test"))
        _ = await scheduler.tick(at: utc("2026-03-01T10:00:00Z"))
        let entry = try #require(crontab.entries.first)
        let byCron = try await ScheduledTick.enqueueCurrentTick(
            jobName: entry.jobName, payloadJSON: entry.payloadJSON, at: utc("2026-03-01T10:05:00.3Z"),
            enqueuer: enqueuer, markers: markers)
        let bySchedulerLater = await scheduler.tick(at: utc("2026-03-01T10:05:01Z"))
        let byCronAgain = try await ScheduledTick.enqueueCurrentTick(
            jobName: entry.jobName, payloadJSON: entry.payloadJSON, at: utc("2026-03-01T10:05:59Z"),
            enqueuer: enqueuer, markers: nil)
        #expect(byCron && !byCronAgain)
        #expect(bySchedulerLater.isEmpty, "the marker says 10:05 is done")
        #expect(enqueuer.enqueuedKeys == ["every-five@2026-03-01T10:00Z", "every-five@2026-03-01T10:05Z"])
    }

    @Test("run() on the system clock ticks at once and returns on graceful shutdown", .timeLimit(.minutes(1)))
    func gracefulShutdown() async throws {
        let enqueuer = KeyLog()
        let markers = InMemoryMarkers()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let scheduler = Scheduler(
            crontab: try Crontab(parsing: "* * * * * woodstock enqueue every-minute --scheduled"),
            enqueuer: enqueuer, markers: markers, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [.init(service: scheduler)], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let deadline = ContinuousClock.now + .seconds(10)
            while try await markers.lastScheduledMinutes(jobNames: [Scheduler.tickMarkerName]).isEmpty,
                ContinuousClock.now < deadline
            {
                try await Task.sleep(for: .milliseconds(10))
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let keys = enqueuer.enqueuedKeys
        #expect(!keys.isEmpty && keys.allSatisfy { $0.hasPrefix("every-minute@") })
    }

    @Test("a failed enqueue is retried at the next tick, and a duplicate still moves the marker")
    func failedEnqueueRetried() async throws {
        let clock = SimulatedClock(
            start: utc("2026-03-01T10:00:00Z"), end: utc("2026-03-01T12:00:00Z"), participants: 1)
        let inner = KeyLog()
        let failing = FailingEnqueuer(inner: inner, failures: 1)
        let markers = InMemoryMarkers()
        let crontab = try Crontab(parsing: "*/5 * * * * woodstock enqueue every-five --scheduled")
        let scheduler = Scheduler(
            crontab: crontab, enqueuer: failing, markers: markers, clock: clock, logger: Logger(label: "test"))
        let first = await scheduler.tick(at: utc("2026-03-01T10:00:01Z"))
        guard case .failed = first.first?.outcome else {
            Issue.record("expected a failure, got \(first)")
            return
        }
        let second = await scheduler.tick(at: utc("2026-03-01T10:01:00Z"))
        #expect(
            second == [.init(jobName: "every-five", scheduledMinute: utc("2026-03-01T10:00:00Z"), outcome: .enqueued)])
        // Someone else (system cron) enqueued 10:05 first: this scheduler sees a duplicate and records it.
        _ = try await inner.enqueueScheduled(
            jobName: "every-five", payloadJSON: [], uniqueKey: "every-five@2026-03-01T10:05Z",
            uniqueFor: .seconds(7_200))
        let third = await scheduler.tick(at: utc("2026-03-01T10:05:00Z"))
        #expect(third.first?.outcome == .duplicate)
        #expect(
            try await markers.lastScheduledMinutes(jobNames: ["every-five"])["every-five"]
                == utc("2026-03-01T10:05:00Z"))
        let status = try await scheduler.status(at: utc("2026-03-01T10:06:00Z"))
        #expect(status.first?.lastEnqueued == utc("2026-03-01T10:05:00Z"))
        #expect(status.first?.nextRun == utc("2026-03-01T10:10:00Z"))
    }
}

/// Fails the first `failures` calls, then delegates.
final class FailingEnqueuer: ScheduledJobEnqueuing {
    let inner: KeyLog
    private let remaining: Mutex<Int>

    init(inner: KeyLog, failures: Int) {
        self.inner = inner
        self.remaining = Mutex(failures)
    }

    func enqueueScheduled(jobName: String, payloadJSON: [UInt8], uniqueKey: String, uniqueFor: Duration) async throws
        -> Bool
    {
        let shouldFail = remaining.withLock { remaining in
            defer { remaining -= 1 }
            return remaining > 0
        }
        if shouldFail { throw JobError(.handlerFailed, message: "simulated Redis outage") }
        return try await inner.enqueueScheduled(
            jobName: jobName, payloadJSON: payloadJSON, uniqueKey: uniqueKey, uniqueFor: uniqueFor)
    }
}
