public import Foundation
public import Redis

/// The schedulers' shared last-tick markers, in one Redis hash: field = job name (and
/// ``Scheduler/tickMarkerName``), value = the scheduled minute as Unix seconds.
///
/// Safe to use from any number of processes: the update is one Lua script that only moves a marker
/// forward. One round trip per call.
///
/// ```swift
/// let markers = RedisScheduleMarkerStore(redis: redis)   // hash "woodstock:schedule:last"
/// ```
public struct RedisScheduleMarkerStore: ScheduleMarkerStore {
    /// The default hash key.
    public static let defaultKey = "woodstock:schedule:last"

    /// Sets the field to `ARGV[2]` unless it already holds that or a later minute; returns 1 if it moved.
    static let recordScript = RedisScript(
        """
        local current = redis.call('HGET', KEYS[1], ARGV[1])
        if current and tonumber(current) >= tonumber(ARGV[2]) then return 0 end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        return 1
        """
    )

    /// The Redis client.
    public let redis: RedisClient
    /// The hash holding the markers.
    public let key: String

    /// Creates the store.
    /// - Parameters:
    ///   - redis: The Redis client.
    ///   - key: The hash key; tests pass a unique one.
    public init(redis: RedisClient, key: String = defaultKey) {
        self.redis = redis
        self.key = key
    }

    /// The recorded minutes of `jobNames` (one `HMGET`).
    /// - Parameter jobNames: The jobs (and marker names) to read.
    /// - Returns: The recorded minutes; absent names are left out.
    /// - Throws: ``RedisError`` when Redis cannot be reached.
    public func lastScheduledMinutes(jobNames: [String]) async throws -> [String: Date] {
        guard !jobNames.isEmpty else { return [:] }
        let reply = try await redis.send(RedisCommand("HMGET", arguments: [key] + jobNames))
        var minutes: [String: Date] = [:]
        for (name, value) in zip(jobNames, reply.array ?? []) {
            guard let seconds = value.int else { continue }
            minutes[name] = Date(timeIntervalSince1970: TimeInterval(seconds))
        }
        return minutes
    }

    /// Moves the marker of `jobName` forward to `minute` (one script call).
    /// - Parameters:
    ///   - minute: The scheduled minute; seconds are dropped.
    ///   - jobName: The job (or marker name).
    /// - Returns: `true` if the marker moved.
    /// - Throws: ``RedisError`` when Redis cannot be reached.
    @discardableResult
    public func recordScheduledMinute(_ minute: Date, jobName: String) async throws -> Bool {
        let seconds = CivilMinute(containing: minute).epochMinutes * 60
        let reply = try await redis.run(Self.recordScript, keys: [key], arguments: [jobName, seconds])
        return reply.int == 1
    }
}
