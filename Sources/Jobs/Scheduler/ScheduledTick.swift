public import Foundation

/// The unique key of a scheduled run, shared by `woodstock schedule` and `woodstock enqueue --scheduled`.
public enum ScheduledTick {
    /// How far back a scheduler coming up after an outage looks for a missed tick, unless configured.
    public static let defaultCatchUpWindow: Duration = .seconds(3_600)

    /// `JOB@YYYY-MM-DDTHH:MMZ` for the minute containing `minute` (UTC), e.g. `meter-usage@2026-11-25T17:05Z`.
    /// - Parameters:
    ///   - jobName: The job type.
    ///   - minute: The scheduled minute; seconds are ignored.
    /// - Returns: The unique key.
    public static func uniqueKey(jobName: String, minute: Date) -> String {
        "\(jobName)@\(CivilMinute(containing: minute).isoText)"
    }

    /// The start of the minute containing `date`.
    /// - Parameter date: Any instant.
    /// - Returns: `date` without its seconds.
    public static func minute(containing date: Date) -> Date {
        CivilMinute(containing: date).date
    }

    /// How long a scheduled unique key must block duplicates: the catch-up window plus an hour, so a late
    /// catch-up of a tick that was in fact enqueued is still recognised as a duplicate.
    /// - Parameter catchUpWindow: The schedulers' catch-up window.
    /// - Returns: The unique key's lifetime.
    public static func uniqueFor(catchUpWindow: Duration = defaultCatchUpWindow) -> Duration {
        catchUpWindow + .seconds(3_600)
    }

    /// What `woodstock enqueue JOB --scheduled` (a system-cron line) does: enqueues with the unique key of
    /// the current minute, exactly as a scheduler would, then moves the shared marker so schedulers see
    /// the tick as done.
    ///
    /// If cron starts the command so late that the minute has changed, the key differs and the tick may
    /// run twice; cron normally starts commands within the first second of the minute.
    /// - Parameters:
    ///   - jobName: The job type.
    ///   - payloadJSON: The payload (a JSON object).
    ///   - now: The current time; its minute is the scheduled minute.
    ///   - enqueuer: The job engine.
    ///   - markers: The schedulers' shared markers, or `nil` to leave them alone.
    ///   - catchUpWindow: The schedulers' catch-up window (sets the key's lifetime).
    /// - Returns: `true` if enqueued, `false` if a scheduler (or another cron) already enqueued this tick.
    /// - Throws: What the enqueuer or the marker store throws.
    @discardableResult
    public static func enqueueCurrentTick(
        jobName: String,
        payloadJSON: [UInt8],
        at now: Date = Date(),
        enqueuer: any ScheduledJobEnqueuing,
        markers: (any ScheduleMarkerStore)?,
        catchUpWindow: Duration = defaultCatchUpWindow
    ) async throws -> Bool {
        let minute = self.minute(containing: now)
        let isNew = try await enqueuer.enqueueScheduled(
            jobName: jobName,
            payloadJSON: payloadJSON,
            uniqueKey: uniqueKey(jobName: jobName, minute: minute),
            uniqueFor: uniqueFor(catchUpWindow: catchUpWindow)
        )
        try await markers?.recordScheduledMinute(minute, jobName: jobName)
        return isNew
    }
}
