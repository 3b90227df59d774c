public import Foundation
public import Logging
public import ServiceLifecycle
internal import Synchronization

/// Enqueues the `crontab` entries at their scheduled minutes: the `woodstock schedule` service.
///
/// At every minute it enqueues each due entry with the unique key `JOB@YYYY-MM-DDTHH:MMZ` (the scheduled
/// minute, see ``ScheduledTick``), so any number of schedulers plus system cron enqueue each tick once.
/// The last scheduled minute per job is kept in a shared ``ScheduleMarkerStore``: a scheduler that
/// starts after every scheduler was down enqueues only the latest missed tick of each entry, and only
/// if it is within ``catchUpWindow``. Besides one marker per job, the store keeps ``tickMarkerName``: the
/// last minute whose tick completed without a failure, which bounds the catch-up of entries that have
/// never fired yet.
///
/// ```swift
/// let scheduler = Scheduler(
///     crontab: try Crontab.load(path: "crontab"), enqueuer: bridge,
///     markers: RedisScheduleMarkerStore(client: redis, keyPrefix: "woodstock:"), logger: logger)
/// let group = ServiceGroup(services: [scheduler], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
/// try await group.run()
/// ```
///
/// ``run()`` returns on graceful shutdown or cancellation (between ticks, or after the tick in progress).
public struct Scheduler: Service {
    /// What happened to one entry at one tick.
    public enum Outcome: Sendable, Hashable {
        /// This scheduler enqueued the job.
        case enqueued
        /// Someone else (another scheduler, system cron) had already enqueued this tick.
        case duplicate
        /// The enqueue or the marker update failed; the tick is tried again at the next tick (catch-up).
        case failed(String)
    }

    /// One entry's result at one tick.
    public struct TickResult: Sendable, Hashable {
        /// The job.
        public let jobName: String
        /// The scheduled minute handled (may be earlier than the tick when catching up).
        public let scheduledMinute: Date
        /// What happened.
        public let outcome: Outcome
    }

    /// The schedule.
    public let crontab: Crontab
    /// Missed ticks older than this are not caught up.
    public let catchUpWindow: Duration
    private let enqueuer: any ScheduledJobEnqueuing
    private let markers: any ScheduleMarkerStore
    private let clock: any SchedulerClock
    private let logger: Logger
    /// The first minute this instance ticked: with no marker at all, ticks from here on are ours.
    private let firstTick = FirstTick()
    private let metrics: SchedulerMetrics

    /// The marker name recording the last fully handled tick (job names cannot start with `@`).
    public static let tickMarkerName = "@scheduler"

    /// Creates a scheduler.
    /// - Parameters:
    ///   - crontab: The entries to run.
    ///   - enqueuer: Enqueues with unique-key deduplication (the job engine).
    ///   - markers: The shared last-tick markers (``RedisScheduleMarkerStore`` in production).
    ///   - clock: The wall clock; tests pass a simulated one.
    ///   - catchUpWindow: How old a missed tick may be and still be enqueued after an outage (default 1 h).
    ///   - logger: Where ticks and failures are logged.
    public init(
        crontab: Crontab,
        enqueuer: any ScheduledJobEnqueuing,
        markers: any ScheduleMarkerStore,
        clock: any SchedulerClock = SystemSchedulerClock(),
        catchUpWindow: Duration = ScheduledTick.defaultCatchUpWindow,
        logger: Logger
    ) {
        self.crontab = crontab
        self.enqueuer = enqueuer
        self.markers = markers
        self.clock = clock
        self.catchUpWindow = catchUpWindow
        self.logger = logger
        self.metrics = SchedulerMetrics(jobNames: crontab.entries.map(\.jobName))
    }

    /// Ticks at once (catching up), then at the start of every minute, until graceful shutdown or cancellation.
    /// - Throws: Nothing in practice: tick failures are logged and retried at the next tick.
    public func run() async throws {
        logger.info("scheduler started", metadata: ["scheduler.entries": "\(crontab.entries.count)"])
        do {
            try await cancelWhenGracefulShutdown {
                while true {
                    let now = clock.now()
                    _ = await tick(at: now)
                    try Task.checkCancellation()
                    try await clock.sleep(
                        until: CivilMinute(epochMinutes: CivilMinute(containing: now).epochMinutes + 1).date)
                }
            }
        } catch is CancellationError {
            // Graceful shutdown or cancellation: nothing is left half done.
        }
        logger.info("scheduler stopped")
    }

    /// Enqueues every entry due at `now` that nobody has enqueued yet, and every entry whose latest tick
    /// was missed within the catch-up window.
    ///
    /// An entry is due when its latest scheduled minute at or before `now` is later than its marker and no
    /// older than ``catchUpWindow``. An entry without a marker (it never fired) uses the ``tickMarkerName``
    /// marker instead; with neither (first start), the minute of this instance's first tick.
    /// - Parameter now: The tick's time (the clock's now).
    /// - Returns: What happened to each entry that was due.
    public func tick(at now: Date) async -> [TickResult] {
        let currentMinute = ScheduledTick.minute(containing: now)
        let firstMinute = firstTick.minute(orRecord: currentMinute)
        let recorded: [String: Date]
        do {
            recorded = try await markers.lastScheduledMinutes(
                jobNames: crontab.entries.map(\.jobName) + [Self.tickMarkerName])
        } catch {
            logger.warning("scheduler cannot read the last-tick markers", metadata: ["error": "\(error)"])
            return []
        }
        let fallback = recorded[Self.tickMarkerName] ?? firstMinute.addingTimeInterval(-1)
        let oldest = now.addingTimeInterval(-catchUpWindow.timeInterval)
        var results: [TickResult] = []
        for entry in crontab.entries {
            guard let due = entry.schedule.previous(atOrBefore: now) else { continue }
            guard due > recorded[entry.jobName] ?? fallback, due >= oldest else { continue }
            results.append(await enqueue(entry, minute: due))
        }
        let hasFailure = results.contains { if case .failed = $0.outcome { true } else { false } }
        if !hasFailure {
            do {
                try await markers.recordScheduledMinute(currentMinute, jobName: Self.tickMarkerName)
            } catch {
                logger.warning("scheduler cannot record its tick", metadata: ["error": "\(error)"])
            }
        }
        return results
    }

    /// Each entry's previous and next run as of `now`, from the schedule alone.
    /// - Parameter now: The reference time.
    /// - Returns: One row per entry, in crontab order.
    public func schedule(at now: Date) -> [ScheduleStatus] {
        crontab.schedule(at: now)
    }

    /// Like ``schedule(at:)``, with the last scheduled minute actually enqueued from the shared markers.
    /// - Parameter now: The reference time.
    /// - Returns: One row per entry, in crontab order.
    /// - Throws: Whatever the marker store throws.
    public func status(at now: Date) async throws -> [ScheduleStatus] {
        let recorded = try await markers.lastScheduledMinutes(jobNames: crontab.entries.map(\.jobName))
        return crontab.schedule(at: now).map { row in
            ScheduleStatus(
                entry: row.entry,
                previousRun: row.previousRun,
                nextRun: row.nextRun,
                lastEnqueued: recorded[row.entry.jobName]
            )
        }
    }

    private func enqueue(_ entry: CrontabEntry, minute: Date) async -> TickResult {
        let key = ScheduledTick.uniqueKey(jobName: entry.jobName, minute: minute)
        var logger = logger
        logger[metadataKey: "job.name"] = "\(entry.jobName)"
        logger[metadataKey: "job.unique_key"] = "\(key)"
        do {
            let isNew = try await enqueuer.enqueueScheduled(
                jobName: entry.jobName,
                payloadJSON: entry.payloadJSON,
                uniqueKey: key,
                uniqueFor: ScheduledTick.uniqueFor(catchUpWindow: catchUpWindow)
            )
            try await markers.recordScheduledMinute(minute, jobName: entry.jobName)
            logger.debug(isNew ? "scheduled job enqueued" : "scheduled job already enqueued by another scheduler")
            metrics.record(isNew ? .enqueued : .duplicate, jobName: entry.jobName)
            return TickResult(jobName: entry.jobName, scheduledMinute: minute, outcome: isNew ? .enqueued : .duplicate)
        } catch {
            logger.warning("scheduled enqueue failed; retrying at the next tick", metadata: ["error": "\(error)"])
            let outcome = Outcome.failed("\(error)")
            metrics.record(outcome, jobName: entry.jobName)
            return TickResult(jobName: entry.jobName, scheduledMinute: minute, outcome: outcome)
        }
    }
}

/// Remembers the first minute a scheduler instance ticked.
private final class FirstTick: Sendable {
    private let value = Mutex<Date?>(nil)

    func minute(orRecord minute: Date) -> Date {
        value.withLock { value in
            if let first = value { return first }
            value = minute
            return minute
        }
    }
}

extension Duration {
    /// The duration in seconds, as a `TimeInterval`.
    fileprivate var timeInterval: TimeInterval {
        TimeInterval(components.seconds) + TimeInterval(components.attoseconds) / 1e18
    }
}
