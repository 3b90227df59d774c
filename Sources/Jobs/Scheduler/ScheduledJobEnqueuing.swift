/// Enqueues the jobs of the schedule; the composition root bridges it to the job engine's enqueue.
///
/// Implementations must drop a job whose unique key was already enqueued within `uniqueFor`,
/// atomically with the enqueue: that is what makes several schedulers (and system cron) safe.
public protocol ScheduledJobEnqueuing: Sendable {
    /// Enqueues `jobName` unless a job with the same unique key was enqueued within `uniqueFor`.
    /// - Parameters:
    ///   - jobName: The job type, e.g. `meter-usage`.
    ///   - payloadJSON: The payload from the crontab line (a JSON object).
    ///   - uniqueKey: `JOB@YYYY-MM-DDTHH:MMZ`, see ``ScheduledTick/uniqueKey(jobName:minute:)``; it replaces
    ///     the catalog's own unique-key template for scheduled runs.
    ///   - uniqueFor: How long the key must block duplicates (longer than the catch-up window).
    /// - Returns: `true` if this call enqueued the job, `false` if it was a duplicate.
    /// - Throws: Whatever the engine throws (Redis unreachable, unknown job…); the tick is retried later.
    func enqueueScheduled(jobName: String, payloadJSON: [UInt8], uniqueKey: String, uniqueFor: Duration) async throws
        -> Bool
}
