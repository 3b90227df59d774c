public import Postgres

/// Where read-only queries may run: typically a streaming replica that falls back to the primary when it is lost
/// (Relay's `ReadPool`, set by `DATABASE_REPLICA_URL`). Reads there may lag the primary by the replication delay,
/// so only pages that tolerate a slightly old view (operator dashboards, exports) use it; a read that must see
/// the caller's own write goes to the primary.
public protocol ReadOnlyPostgres: Sendable {
    /// Runs `body` against a pool it may only read from; `body` may run twice (replica, then primary), so it must
    /// not write.
    /// - Parameter body: the read.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws.
    func read<T: Sendable>(_ body: (PostgresPool) async throws -> T) async throws -> T
}

extension ReadOnlyPostgres {
    /// Runs `body` with every repository over the pool ``read(_:)`` picked (the repositories are thin views of a
    /// pool, made per call).
    /// - Parameter body: the read; it must not write.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws.
    public func readRepositories<T: Sendable>(_ body: (Repositories) async throws -> T) async throws -> T {
        try await read { pool in try await body(Repositories(pool: pool)) }
    }
}
