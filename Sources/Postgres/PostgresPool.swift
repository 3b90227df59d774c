import Dispatch
public import Logging
import Metrics
import Synchronization

/// A bounded pool of PostgreSQL connections, each with its own serial queue, so libpq's blocking calls
/// never run on Swift's cooperative thread pool.
///
/// Thread safe. A connection that broke (server restart) is re-dialled the next time it is leased.
/// Cancelling the task awaiting a statement sends a cancel request to the server (`PQcancel`).
///
/// ```swift
/// let pool = PostgresPool(configuration: try PostgresConfiguration(url: url), logger: logger)
/// let rows = try await pool.query("SELECT id, name FROM client_integrations WHERE id = \(tenantID)")
/// let names = try rows.decode((UUID, String).self)
/// try await pool.transaction { conn in
///     try conn.query("UPDATE t SET n = n - 1 WHERE id = \(a)")
///     try conn.query("UPDATE t SET n = n + 1 WHERE id = \(b)")
/// }
/// await pool.close()
/// ```
public final class PostgresPool: Sendable {
    /// The configuration every connection uses.
    public let configuration: PostgresConfiguration
    let logger: Logger
    private let state: Mutex<State>
    /// `woodstock.postgres.pool_wait`: how long a statement waited for a connection (0 when one was idle).
    private let waitTimer = Timer(label: "woodstock.postgres.pool_wait")

    private struct State: ~Copyable {
        var idle: [PostgresConnection] = []
        var open = 0
        var labels = 0
        var nextWaiter: UInt64 = 0
        var waiters: [(id: UInt64, continuation: CheckedContinuation<PostgresConnection?, any Error>)] = []
        var isClosed = false
    }

    /// Creates a pool; connections are dialled lazily, at most `configuration.maximumConnections`.
    public init(configuration: PostgresConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.state = Mutex(State())
    }

    /// Leases a connection, runs the synchronous `body` on the connection's own thread, and returns it.
    /// - Throws: what `body` throws, ``PostgresError`` (`poolClosed`, `connectionFailed`), or `CancellationError`.
    @discardableResult
    public func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        let connection = try await lease()
        let (result, isBroken) = await connection.run { conn in
            try conn.prepareForUse()
            return try body(conn)
        }
        release(connection, isBroken: isBroken)
        return try result.get()
    }

    /// Runs `body` in a transaction on one connection: `COMMIT` when it returns, `ROLLBACK` when it throws.
    /// - Throws: what `body` throws, or ``PostgresError``.
    @discardableResult
    public func transaction<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        try await withConnection { conn in try conn.transaction(body) }
    }

    /// Runs one statement and returns its rows.
    /// - Throws: ``PostgresError`` carrying the SQLSTATE.
    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        try await withConnection { conn in try conn.query(query) }
    }

    /// Closes idle connections and refuses new leases; leased connections close when they come back.
    public func close() async {
        let (idle, waiters) = state.withLock { state in
            state.isClosed = true
            defer {
                state.idle = []
                state.waiters = []
            }
            state.open -= state.idle.count
            return (state.idle, state.waiters)
        }
        for waiter in waiters { waiter.continuation.resume(throwing: PostgresError(.poolClosed)) }
        for connection in idle { connection.queue.sync { connection.close() } }
    }

    private enum Decision {
        case use(PostgresConnection)
        case dial(PostgresConnection)
        case wait
        case fail(any Error)
    }

    private func lease() async throws -> PostgresConnection {
        // Fast path: an idle connection is taken without suspending.
        let (idle, waiterID) = state.withLock { state -> (PostgresConnection?, UInt64) in
            if !state.isClosed, let connection = state.idle.popLast() { return (connection, 0) }
            state.nextWaiter += 1
            return (nil, state.nextWaiter)
        }
        if let idle {
            waitTimer.recordNanoseconds(0)
            return idle
        }
        let started = ContinuousClock.now
        defer {
            let waited = ContinuousClock.now - started
            waitTimer.recordNanoseconds(
                waited.components.seconds * 1_000_000_000 + waited.components.attoseconds / 1_000_000_000)
        }
        let leased: PostgresConnection? = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let decision: Decision = state.withLock { state in
                    if state.isClosed { return .fail(PostgresError(.poolClosed)) }
                    if Task.isCancelled { return .fail(CancellationError()) }
                    if let connection = state.idle.popLast() { return .use(connection) }
                    if state.open < configuration.maximumConnections {
                        state.open += 1
                        return .dial(newConnection(&state))
                    }
                    state.waiters.append((waiterID, continuation))
                    return .wait
                }
                switch decision {
                case .use(let connection), .dial(let connection): continuation.resume(returning: connection)
                case .fail(let error): continuation.resume(throwing: error)
                case .wait: break
                }
            }
        } onCancel: {
            let continuation = state.withLock { state in
                state.waiters.firstIndex { $0.id == waiterID }.map { state.waiters.remove(at: $0).continuation }
            }
            continuation?.resume(throwing: CancellationError())
        }
        guard let leased else { throw PostgresError(.poolClosed) }
        return leased
    }

    private func newConnection(_ state: inout State) -> PostgresConnection {
        state.labels += 1
        return PostgresConnection(configuration: configuration, logger: logger, label: state.labels)
    }

    private func release(_ connection: PostgresConnection, isBroken broken: Bool) {
        let (waiter, closeIt): (CheckedContinuation<PostgresConnection?, any Error>?, Bool) = state.withLock { state in
            if state.isClosed || broken {
                state.open -= 1
                guard !state.isClosed, !state.waiters.isEmpty else { return (nil, true) }
                state.open += 1
                return (state.waiters.removeFirst().continuation, true)
            }
            if !state.waiters.isEmpty { return (state.waiters.removeFirst().continuation, false) }
            state.idle.append(connection)
            return (nil, false)
        }
        if closeIt {
            connection.queue.async { connection.close() }
            if let waiter {
                let fresh = state.withLock { newConnection(&$0) }
                waiter.resume(returning: fresh)
            }
        } else {
            waiter?.resume(returning: connection)
        }
    }
}
