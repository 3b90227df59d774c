extension JobClient: ScheduledJobEnqueuing {
    /// Enqueues a scheduled run with the tick's unique key, so every scheduler enqueues it once.
    /// - Returns: `true` if this call enqueued the job, `false` for a duplicate.
    /// - Throws: ``JobError`` or ``RedisError``.
    public func enqueueScheduled(
        jobName: String,
        payloadJSON: [UInt8],
        uniqueKey: String,
        uniqueFor: Duration
    ) async throws -> Bool {
        var request = JobRequest(name: jobName, payloadJSON: payloadJSON, uniqueKey: uniqueKey)
        request.uniqueFor = uniqueFor
        return try await enqueue(batch: [request])[0] != .duplicate
    }
}
