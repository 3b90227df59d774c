/// A connection outside the pool, on its own thread, for blocking commands.
///
/// Cancelling the task that awaits a call shuts the socket down, so a blocked `BLPOP` returns at once
/// (throwing); the next call dials a new connection. Thread-safe, but calls are served one at a time.
public final class RedisDedicatedConnection: Sendable {
    let host: RedisConnectionHost
    let commandTimeout: Duration

    init(configuration: RedisConfiguration) {
        self.commandTimeout = configuration.commandTimeout
        self.host = RedisConnectionHost(configuration: configuration, label: "redis.dedicated", commandTimeout: nil)
    }

    /// Sends one command, waiting for its reply at most `blockingFor` plus the configured command timeout.
    /// - Parameters:
    ///   - command: The command, typically a blocking one whose own timeout is `blockingFor`.
    ///   - blockingFor: How long the server may block before it replies (`nil`: wait forever).
    /// - Returns: The typed reply.
    /// - Throws: ``RedisError``; `CancellationError` when the task was cancelled before the call.
    public func send(_ command: RedisCommand, blockingFor: Duration?) async throws -> RedisReply {
        let limit = blockingFor.map { $0 + commandTimeout }
        return try await host.performInterruptible { connection in
            try connection.setTimeout(limit)
            return try connection.send(command)
        }
    }

    /// Runs a synchronous closure with the connection on its own thread.
    /// - Returns: What the closure returns.
    /// - Throws: What the closure throws, or ``RedisError`` for connection trouble.
    public func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (RedisConnection) throws -> T
    ) async throws -> T {
        try await host.performInterruptible(body)
    }

    /// Closes the socket; a later call dials again.
    public func close() {
        host.interrupt()
        host.close()
    }
}
