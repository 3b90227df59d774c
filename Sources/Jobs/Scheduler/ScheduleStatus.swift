public import Foundation

/// One crontab entry's last and next run, for the dashboard and `woodstock schedule --list`.
public struct ScheduleStatus: Sendable, Hashable {
    /// The crontab line.
    public let entry: CrontabEntry
    /// The latest minute at or before the reference time at which the schedule fired.
    public let previousRun: Date?
    /// The first minute after the reference time at which the schedule fires.
    public let nextRun: Date?
    /// The last scheduled minute actually enqueued, from the shared marker; `nil` when unknown.
    public let lastEnqueued: Date?

    /// Creates a status row.
    public init(entry: CrontabEntry, previousRun: Date?, nextRun: Date?, lastEnqueued: Date? = nil) {
        self.entry = entry
        self.previousRun = previousRun
        self.nextRun = nextRun
        self.lastEnqueued = lastEnqueued
    }
}

extension Crontab {
    /// Each entry's previous and next run as of `now` (computed from the schedule alone).
    /// - Parameter now: The reference time.
    /// - Returns: One row per entry, in file order.
    public func schedule(at now: Date) -> [ScheduleStatus] {
        entries.map { entry in
            ScheduleStatus(
                entry: entry,
                previousRun: entry.schedule.previous(atOrBefore: now),
                nextRun: entry.schedule.next(after: now)
            )
        }
    }
}
