import Glibc

/// The retry budget of one routed command or pipeline while the cluster cannot serve it yet: the slot's master
/// cannot be dialed (it died and its replica is not promoted yet), `CLUSTERDOWN`, `TRYAGAIN`, or a script
/// waiting out a migration's `ASK`.
///
/// A failover takes the cluster's node timeout plus an election (1–3 s with `cluster-node-timeout 1000`,
/// 15–20 s with the default 15 s), so the budget is a time (the configuration's `commandTimeout`), not a
/// count of quick attempts: 16 attempts with a capped backoff covered only about 1.7 s. Used on the
/// connection's own thread only (it sleeps there, never on the cooperative pool).
struct ClusterRetry {
    private let deadline: ContinuousClock.Instant
    private var attempt = 0

    /// Starts the budget now.
    init(budget: Duration) { deadline = .now + budget }

    /// Sleeps the next backoff step (5, 10, 20 … 160 ms, never past the deadline).
    /// - Returns: `false` (without sleeping) when the budget is spent or the connection was interrupted
    ///   (its task was cancelled): the caller gives up with the last error.
    mutating func pause(_ linked: RedisLinkedSockets) -> Bool {
        let now = ContinuousClock.now
        guard now < deadline, !linked.isInterrupted else { return false }
        let step = min(Duration.milliseconds(5 << min(attempt, 5)), deadline - now)
        attempt += 1
        let micros = step.components.seconds * 1_000_000 + step.components.attoseconds / 1_000_000_000_000
        usleep(UInt32(clamping: max(1, micros)))
        return !linked.isInterrupted
    }
}
