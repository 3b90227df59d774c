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
}
