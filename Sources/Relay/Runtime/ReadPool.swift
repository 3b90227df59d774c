import Foundation
public import Logging
import Metrics
public import Postgres
public import Store
import Synchronization

/// Where read-only work (dashboards, exports, `woodstock tokens`, the billing export) runs: on the
/// PostgreSQL replica named by `DATABASE_REPLICA_URL` when there is one, else on the primary.
///
/// Writes never go through a read pool. A replica that cannot be reached (refused, closed, timed
/// out, shut down) degrades to the primary: the read is run again there, a warning is logged and
/// `woodstock.postgres.replica.fallbacks` is incremented; the replica is tried again after
/// `retryAfter`. Reads on a replica may lag the primary by the replication delay.
///
/// Thread safe.
///
/// ```swift
/// let reads = ReadPool(primary: pool, replica: replicaPool, logger: logger)
/// let report = try await reads.read { pool in try await TokensReport.compute(pool: pool) }
/// ```
public final class ReadPool: Sendable {
    /// The primary; every write, and every read while the replica is down.
    public let primary: PostgresPool
    /// The streaming replica, if one is configured.
    public let replica: PostgresPool?
    private let retryAfter: Duration
    private let logger: Logger
    private let fallbackCounter: Counter
    private let state = Mutex(State())

    private struct State {
        var replicaDownUntil: ContinuousClock.Instant?
        var fallbacks = 0
    }

    /// Creates a read pool over a primary and an optional replica; neither is dialled until first use.
    ///
    /// - Parameters:
    ///   - primary: the primary's pool (owned by the caller, who closes it).
    ///   - replica: the replica's pool, or `nil` to read from the primary; closed by ``close()``.
    ///   - retryAfter: how long a lost replica is skipped before it is tried again; default 30 s.
    ///   - logger: receives the warning when the replica is lost.
    public init(primary: PostgresPool, replica: PostgresPool?, retryAfter: Duration = .seconds(30), logger: Logger) {
        self.primary = primary
        self.replica = replica
        self.retryAfter = retryAfter
        self.logger = logger
        fallbackCounter = Counter(label: "woodstock.postgres.replica.fallbacks")
    }

    /// How many reads fell back from the replica to the primary since this pool was made.
    public var fallbacks: Int { state.withLock { $0.fallbacks } }

    /// Whether the next read goes to the replica (one is configured and not marked lost).
    public var isUsingReplica: Bool {
        guard replica != nil else { return false }
        return state.withLock { state in
            guard let until = state.replicaDownUntil else { return true }
            return ContinuousClock.now >= until
        }
    }

    /// Runs a read-only `body` on the replica, or on the primary when there is none or it is lost.
    ///
    /// `body` may run twice (once on the replica, then on the primary), so it must not write.
    /// - Parameter body: the read; receives the pool to query.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws on the primary, or a non-connection error from the replica.
    public func read<T: Sendable>(_ body: (PostgresPool) async throws -> T) async throws -> T {
        guard let replica, isUsingReplica else { return try await body(primary) }
        do {
            return try await body(replica)
        } catch let error as PostgresError where Self.isReplicaLost(error) {
            state.withLock { state in
                state.replicaDownUntil = ContinuousClock.now + retryAfter
                state.fallbacks += 1
            }
            fallbackCounter.increment()
            logger.warning(
                "postgres replica unreachable; reading from the primary",
                metadata: [
                    "error": "\(error)", "retry.after.s": "\(retryAfter.components.seconds)",
                ])
            return try await body(primary)
        }
    }

    /// Closes the replica's pool (the primary belongs to its creator).
    public func close() async {
        await replica?.close()
    }

    /// Connection-level failures and server shutdowns (SQLSTATE class 57: operator intervention,
    /// 08: connection exception) mean the replica is gone; anything else is the query's own error.
    static func isReplicaLost(_ error: PostgresError) -> Bool {
        switch error.code {
        case .connectionFailed, .connectionClosed, .timeout: return true
        default:
            guard let state = error.sqlState else { return false }
            return state.hasPrefix("57P") || state.hasPrefix("08")
        }
    }
}

extension ReadPool: ReadOnlyPostgres {}
