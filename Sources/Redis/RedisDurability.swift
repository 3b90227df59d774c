import Synchronization

/// Whether a client confirms its writes on a replica (`WAIT`) before a call returns.
///
/// Used for webhook intake: the call returns only after `replicas` replicas acknowledged every write the
/// call made on its connection, so a failover right after the answer cannot lose it.
///
/// - ``Mode-swift.enum/off``: no `WAIT`; a master lost before replicating loses the write silently.
/// - ``Mode-swift.enum/auto``: `WAIT` whenever the master reports a connected replica (checked at most once
///   a second); with none (single-node dev, or the replica is down) the call succeeds like `off` and a warning
///   is logged once a minute. A replica that is attached but does not acknowledge in time fails the call.
/// - ``Mode-swift.enum/required``: no attached replica, or no acknowledgement in time, fails the call with
///   ``RedisError`` `.notReplicated` (the write is on the master; the caller answers so the sender retries).
///
/// ```swift
/// let durable = redis.withDurability(RedisDurability(mode: .required, timeout: .milliseconds(500)))
/// ```
public struct RedisDurability: Sendable, Hashable {
    /// See the type's documentation.
    public enum Mode: String, Sendable, Hashable {
        /// No replication check.
        case off
        /// Check when a replica is attached; degrade to `off` (with a warning) when none is.
        case auto
        /// Always require the acknowledgement.
        case required = "on"
    }

    /// The mode.
    public var mode: Mode
    /// How many replicas must acknowledge (default 1).
    public var replicas: Int
    /// How long `WAIT` may block (default 1 s).
    public var timeout: Duration

    /// Creates a durability setting.
    public init(mode: Mode, replicas: Int = 1, timeout: Duration = .seconds(1)) {
        self.mode = mode
        self.replicas = max(1, replicas)
        self.timeout = timeout
    }

    /// No `WAIT`.
    public static let off = RedisDurability(mode: .off)
}

/// The last known count of attached replicas (re-read at most once a second) and the degraded-warning clock.
final class RedisReplicaCache: Sendable {
    private struct State {
        var replicas: Int?
        var readAt: ContinuousClock.Instant?
        var warnedAt: ContinuousClock.Instant?
    }

    private let state = Mutex(State())

    /// The cached count, `nil` when older than a second.
    func replicas(now: ContinuousClock.Instant) -> Int? {
        state.withLock { state in
            guard let readAt = state.readAt, now - readAt < .seconds(1) else { return nil }
            return state.replicas
        }
    }

    func store(_ replicas: Int, now: ContinuousClock.Instant) {
        state.withLock { state in
            state.replicas = replicas
            state.readAt = now
        }
    }

    /// `true` at most once a minute: time to log that durability is degraded.
    func shouldWarn(now: ContinuousClock.Instant) -> Bool {
        state.withLock { state in
            if let warnedAt = state.warnedAt, now - warnedAt < .seconds(60) { return false }
            state.warnedAt = now
            return true
        }
    }
}

extension RedisConnection {
    /// After a call's writes: `WAIT` per the durability setting.
    /// - Returns: `true` when the writes are confirmed (or the mode is `off`), `false` when `auto` found no
    ///   replica and let the call succeed without one.
    /// - Throws: ``RedisError`` `.notReplicated` when the acknowledgement is required and missing.
    func confirm(_ durability: RedisDurability, cache: RedisReplicaCache) throws -> Bool {
        guard durability.mode != .off else { return true }
        let now = ContinuousClock.now
        // On a Cluster the count is that of the masters this call wrote to (the router answers `INFO` for them),
        // which differ from call to call: one client-wide cached count would let a promoted master without a
        // replica yet fail (or, under `auto`, skip the `WAIT` of) the next second's calls to healthy masters.
        let isCluster = router is ClusterRouter
        var attached = isCluster ? nil : cache.replicas(now: now)
        if attached == nil {
            let info = try send(RedisCommand("INFO", "replication")).string ?? ""
            let line = info.split(whereSeparator: \.isNewline).first { $0.hasPrefix("connected_slaves:") }
            let count = line.flatMap { Int($0.dropFirst("connected_slaves:".count)) } ?? 0
            cache.store(count, now: now)
            attached = count
        }
        if (attached ?? 0) < durability.replicas {
            guard durability.mode == .required else { return false }
            throw RedisError(
                .notReplicated,
                message: "durable write needs \(durability.replicas) replica(s); the master has \(attached ?? 0)")
        }
        let milliseconds = max(
            1,
            Int(durability.timeout.components.seconds * 1000)
                + Int(durability.timeout.components.attoseconds / 1_000_000_000_000_000))
        let acknowledged = try send(RedisCommand("WAIT", durability.replicas, milliseconds)).int ?? 0
        guard acknowledged >= durability.replicas else {
            throw RedisError(
                .notReplicated,
                message: "\(acknowledged) of \(durability.replicas) replica(s) acknowledged within \(milliseconds) ms")
        }
        return true
    }
}
