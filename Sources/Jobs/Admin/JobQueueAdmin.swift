import Foundation
public import Redis

/// The operator's view of the queues: stats, pause/resume, and the dead set (`woodstock queues`, `woodstock dead`).
///
/// ```swift
/// let admin = JobQueueAdmin(redis: redis)
/// for stats in try await admin.stats(queues: try await admin.knownQueues()) { print(stats.queue, stats.depth) }
/// try await admin.pause(queue: "maintenance")
/// let dead = try await admin.deadJobs(queue: "messages", limit: 20)
/// ```
public struct JobQueueAdmin: Sendable {
    /// The Redis client.
    public let redis: RedisClient

    /// Creates the admin API over a Redis client.
    public init(redis: RedisClient) { self.redis = redis }

    /// Every queue ever enqueued to or served by a worker, sorted.
    /// - Throws: ``RedisError``.
    public func knownQueues() async throws -> [String] {
        let reply = try await redis.send("SMEMBERS", JobKeys.queuesSet)
        return (reply.array ?? []).compactMap(\.string).sorted()
    }

    /// Counts for each queue, in one round trip.
    /// - Throws: ``RedisError``.
    public func stats(queues: [String]) async throws -> [QueueStats] {
        let commands = queues.map { JobScripts.stats.evalSHA(keys: [JobKeys(queue: $0).prefix], arguments: [0]) }
        let results = try await redis.withConnection { try $0.pipeline(commands, loading: [JobScripts.stats]) }
        let now = Date().timeIntervalSince1970
        return try zip(queues, results).map { queue, result in
            let values = try result.get().array?.map { $0.int ?? 0 } ?? []
            guard values.count >= 8 else { throw RedisError(.unexpectedReply, message: "queue stats script") }
            return QueueStats(
                queue: queue, depth: values[0], running: values[1], scheduled: values[2], retries: values[3],
                dead: values[4], groups: values[7], isPaused: values[5] == 1,
                oldestAge: values[6] > 0 ? max(0, now - Double(values[6]) / 1000) : nil
            )
        }
    }

    /// Pauses a queue: workers stop fetching from it (running jobs finish).
    /// - Throws: ``RedisError``.
    public func pause(queue: String) async throws {
        _ = try await redis.send("SET", JobKeys(queue: queue).paused, "1")
    }

    /// Resumes a paused queue and wakes idle workers.
    /// - Throws: ``RedisError``.
    public func resume(queue: String) async throws {
        let keys = JobKeys(queue: queue)
        _ = try await redis.pipeline([
            RedisCommand("DEL", keys.paused), RedisCommand("LPUSH", keys.notify, "1"),
            RedisCommand("LTRIM", keys.notify, 0, 15),
        ])
    }

    /// The most recently dead jobs of a queue, newest first, skipping the `offset` newest (for paging).
    /// - Throws: ``RedisError``.
    public func deadJobs(queue: String, offset: Int = 0, limit: Int = 50) async throws -> [DeadJob] {
        try await deadPage(queue: queue, offset: offset, limit: limit).entries.map(\.job)
    }

    /// One dead job by ID (or unique ID prefix).
    /// - Returns: The job, or `nil` when no dead job has that ID.
    /// - Throws: ``RedisError``.
    public func deadJob(queue: String, id: String) async throws -> DeadJob? {
        var offset = 0
        while true {  // newest first, a page at a time: a large dead set is never loaded whole for one lookup
            let page = try await deadPage(queue: queue, offset: offset, limit: Self.deadPageSize)
            if let entry = page.entries.first(where: { $0.job.id.hasPrefix(id) }) { return entry.job }
            if page.scanned < Self.deadPageSize { return nil }
            offset += page.scanned
        }
    }

    /// How many dead jobs one retry or purge step reads and moves: bounds the memory and the time one script
    /// holds Redis, however large the dead set has grown.
    static let deadPageSize = 500

    /// Moves dead jobs back to their queue with a fresh set of attempts (history kept), a page at a time.
    /// - Parameter ids: Job IDs (or prefixes); `nil` retries every dead job of the queue.
    /// - Returns: How many were moved.
    /// - Throws: ``RedisError``.
    @discardableResult
    public func retryDead(queue: String, ids: [String]? = nil) async throws -> Int {
        try await forEachDeadPage(queue: queue, ids: ids) { chosen in
            var arguments: [[UInt8]] = []
            for entry in chosen {
                var fresh = entry.envelope
                fresh.attempt = 0
                arguments.append(entry.member)
                arguments.append(fresh.encoded())
            }
            let reply = try await redis.run(
                JobScripts.retryDead, keys: [JobKeys(queue: queue).prefix], arguments: arguments)
            return reply.int ?? 0
        }
    }

    /// Deletes dead jobs.
    /// - Parameter ids: Job IDs (or prefixes); `nil` purges the whole dead set of the queue.
    /// - Returns: How many were deleted.
    /// - Throws: ``RedisError``.
    @discardableResult
    public func purgeDead(queue: String, ids: [String]? = nil) async throws -> Int {
        let key = JobKeys(queue: queue).dead
        guard let ids else {
            let count = try await redis.send("ZCARD", key).int ?? 0
            _ = try await redis.send("UNLINK", key)  // freed in the background: a huge set never blocks Redis
            return count
        }
        return try await forEachDeadPage(queue: queue, ids: ids) { chosen in
            try await redis.send(RedisCommand("ZREM", arguments: [key] + chosen.map(\.member))).int ?? 0
        }
    }

    /// Walks the dead set newest first, one page at a time, and hands the entries `ids` chooses (all when `nil`)
    /// to `act`, which takes them out of the set. Returns the sum of what `act` returned.
    private func forEachDeadPage(
        queue: String, ids: [String]?, _ act: ([Entry]) async throws -> Int
    ) async throws -> Int {
        var total = 0
        var offset = 0
        while true {
            let page = try await deadPage(queue: queue, offset: offset, limit: Self.deadPageSize)
            let chosen = page.entries.filter { entry in ids?.contains { entry.job.id.hasPrefix($0) } ?? true }
            if !chosen.isEmpty { total += try await act(chosen) }
            if page.scanned < Self.deadPageSize { return total }
            offset += page.scanned - chosen.count  // the chosen ones left the set; the rest keep their places
        }
    }

    private struct Entry {
        let member: [UInt8]
        let envelope: JobEnvelope
        let job: DeadJob
    }

    /// One page of the dead set: the entries that decode, and how many members were read (undecodable ones
    /// included, so paging never stalls on them).
    private func deadPage(queue: String, offset: Int, limit: Int) async throws -> (entries: [Entry], scanned: Int) {
        let start = max(0, offset)
        guard limit > 0 else { return ([], 0) }
        let stop = start + limit - 1
        let reply = try await redis.send("ZRANGE", JobKeys(queue: queue).dead, start, stop, "REV", "WITHSCORES")
        let elements = reply.array ?? []
        var entries: [Entry] = []
        for index in stride(from: 0, to: elements.count - 1, by: 2) {
            guard let member = elements[index].bytes, let envelope = try? JobEnvelope(decoding: member) else {
                continue
            }
            let diedAt = Date(timeIntervalSince1970: (Double(elements[index + 1].string ?? "0") ?? 0) / 1000)
            let job = DeadJob(
                id: envelope.id, name: envelope.name, queue: queue,
                group: envelope.group == JobEnvelope.defaultGroup ? nil : envelope.group,
                attempts: envelope.attempt,
                enqueuedAt: Date(timeIntervalSince1970: Double(envelope.enqueuedAtMilliseconds) / 1000),
                diedAt: diedAt, lastError: envelope.history.last?.error, history: envelope.history,
                payloadJSON: String(decoding: envelope.payload, as: UTF8.self)
            )
            entries.append(Entry(member: member, envelope: envelope, job: job))
        }
        return (entries, elements.count / 2)
    }
}
