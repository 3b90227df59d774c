public import Foundation
public import Jobs
public import Logging
import Redis

/// What `woodstock enqueue|queues|dead` do; the commands only parse arguments and print.
///
/// Needs only Redis and the catalog in `jobs/`, not PostgreSQL, so an operator can inspect queues while
/// the database is down.
public struct JobsAdmin: Sendable {
    private let redis: RedisClient
    private let catalog: JobCatalog
    private let client: JobClient
    private let admin: JobQueueAdmin

    /// Opens a Redis pool and loads the catalog.
    /// - Throws: ``SettingsError`` for a bad `REDIS_URL`, or the catalog's error.
    public init(settings: Settings, logger: Logger) throws {
        redis = try Relay.openRedis(settings, logger: logger)
        catalog = try JobCatalog.load(directory: settings.jobsDirectory)
        client = JobClient(redis: redis, catalog: catalog, logger: logger)
        admin = JobQueueAdmin(redis: redis)
    }

    /// Closes the Redis pool.
    public func close() { redis.close() }

    /// Enqueues one job by name; `payload` is JSON text (`{}` when omitted).
    /// - Returns: a line saying the job id, or that the unique key dropped it as a duplicate.
    public func enqueue(name: String, payload: String, uniqueKey: String?, runAt: Date?) async throws -> String {
        _ = try catalog.definition(named: name)
        guard (try? JSONSerialization.jsonObject(with: Data(payload.utf8))) is [String: Any] else {
            throw JobError(.payloadEncoding, message: "--payload must be a JSON object")
        }
        let outcome = try await client.enqueue(
            name: name, payloadJSON: Array(payload.utf8), uniqueKey: uniqueKey, runAt: runAt)
        switch outcome {
        case .enqueued(let id): return "enqueued \(name) \(id)"
        case .duplicate: return "duplicate: \(name) with unique key \(uniqueKey ?? "(template)") was already enqueued"
        }
    }

    /// Enqueues the current minute's tick of a crontab line, exactly as `woodstock schedule` does (unique key
    /// `JOB@minute`), so system cron and any number of schedulers enqueue each tick once.
    /// - Returns: a line saying whether this call enqueued the tick or another scheduler already had.
    public func enqueueScheduledTick(name: String, payload: String) async throws -> String {
        _ = try catalog.definition(named: name)
        let isNew = try await ScheduledTick.enqueueCurrentTick(
            jobName: name, payloadJSON: Array(payload.utf8), enqueuer: client,
            markers: RedisScheduleMarkerStore(redis: redis))
        return isNew ? "enqueued \(name) for this minute" : "duplicate: \(name) was already enqueued for this minute"
    }

    /// Every queue the catalog names plus any found in Redis.
    public func queueNames() async throws -> [String] {
        let known = Set(catalog.definitions.values.map(\.queue))
        return Array(known.union(try await admin.knownQueues())).sorted()
    }

    /// Depth, running, scheduled, retries, dead and oldest age of each queue.
    public func stats() async throws -> [QueueStats] { try await admin.stats(queues: try await queueNames()) }

    /// Pauses a queue: workers stop fetching from it; enqueues still land.
    public func pause(_ queue: String) async throws { try await admin.pause(queue: queue) }

    /// Resumes a paused queue.
    public func resume(_ queue: String) async throws { try await admin.resume(queue: queue) }

    /// Dead jobs of one queue (or all), newest first.
    public func dead(queue: String?, limit: Int) async throws -> [DeadJob] {
        var jobs: [DeadJob] = []
        let names: [String]
        if let queue { names = [queue] } else { names = try await queueNames() }
        for name in names {
            jobs += try await admin.deadJobs(queue: name, limit: limit)
        }
        return Array(jobs.sorted { $0.diedAt > $1.diedAt }.prefix(limit))
    }

    /// One dead job by id, searched in every queue.
    public func deadJob(id: String) async throws -> DeadJob? {
        for name in try await queueNames() {
            if let job = try await admin.deadJob(queue: name, id: id) { return job }
        }
        return nil
    }

    /// Moves dead jobs back to their queue (all of the queue's when `ids` is empty).
    public func retryDead(queue: String, ids: [String]) async throws -> Int {
        try await admin.retryDead(queue: queue, ids: ids.isEmpty ? nil : ids)
    }

    /// Deletes dead jobs (all of the queue's when `ids` is empty).
    public func purgeDead(queue: String, ids: [String]) async throws -> Int {
        try await admin.purgeDead(queue: queue, ids: ids.isEmpty ? nil : ids)
    }

    /// A table of queue statistics for people.
    public static func render(_ stats: [QueueStats]) -> String {
        var lines = [row("QUEUE", "DEPTH", "RUNNING", "SCHEDULED", "RETRIES", "DEAD", "OLDEST", "PAUSED")]
        for s in stats {
            let oldest = s.oldestAge.map { String(format: "%.1fs", $0) } ?? "-"
            lines.append(
                row(
                    s.queue, "\(s.depth)", "\(s.running)", "\(s.scheduled)", "\(s.retries)", "\(s.dead)", oldest,
                    s.isPaused ? "yes" : "no"))
        }
        return lines.joined(separator: "\n")
    }

    /// A table of dead jobs for people.
    public static func render(_ jobs: [DeadJob]) -> String {
        var lines = [
            "ID                                    QUEUE        JOB               ATTEMPTS  DIED AT               ERROR"
        ]
        let formatter = ISO8601DateFormatter()
        for job in jobs {
            lines.append(
                "\(job.id)  \(pad(job.queue, 11))  \(pad(job.name, 16))  \(pad("\(job.attempts)", 8))  "
                    + "\(formatter.string(from: job.diedAt))  \(job.lastError ?? "")")
        }
        return lines.joined(separator: "\n")
    }

    private static func row(_ columns: String...) -> String {
        zip(columns, [14, 8, 8, 10, 8, 8, 10, 6]).map { pad($0, $1) }.joined(separator: " ")
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
