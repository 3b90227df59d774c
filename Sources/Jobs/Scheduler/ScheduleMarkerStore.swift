public import Foundation

/// Shared memory of the schedulers: the last scheduled minute enqueued for each job, so that a scheduler
/// starting after an outage catches a missed tick up once and every scheduler agrees on what is done.
///
/// ``RedisScheduleMarkerStore`` keeps it in Redis; any implementation must be safe to call from many
/// processes at once.
public protocol ScheduleMarkerStore: Sendable {
    /// The last scheduled minute recorded for each of `jobNames`; a job never recorded is absent.
    /// - Parameter jobNames: The jobs of the crontab.
    /// - Returns: The recorded minutes by job name.
    func lastScheduledMinutes(jobNames: [String]) async throws -> [String: Date]

    /// Records `minute` as the last scheduled minute of `jobName`, unless a later one is already recorded.
    /// - Parameters:
    ///   - minute: The scheduled minute just enqueued (start of the minute).
    ///   - jobName: The job.
    /// - Returns: `true` if the marker moved forward.
    @discardableResult
    func recordScheduledMinute(_ minute: Date, jobName: String) async throws -> Bool
}
