extension RedisDedicatedConnection {
    /// Sends several commands in one write and reads their replies, waiting at most `blockingFor` plus the
    /// configured command timeout. A blocking command holds back the ones after it on the server, which runs
    /// them the moment it unblocks: `[BLPOP …, EVALSHA …]` wakes up and acts in one round trip.
    /// - Parameters:
    ///   - commands: The commands, in order.
    ///   - blockingFor: How long the server may block before it replies (`nil`: wait forever).
    /// - Returns: One result per command; a command's server error is its own `.failure`.
    /// - Throws: ``RedisError`` for connection trouble; `CancellationError` when the task was cancelled before the call.
    public func pipeline(
        _ commands: [RedisCommand], blockingFor: Duration?
    ) async throws -> [Result<RedisReply, RedisError>] {
        let limit = blockingFor.map { $0 + commandTimeout }
        return try await host.performInterruptible { connection in
            try connection.setTimeout(limit)
            return try connection.pipeline(commands)
        }
    }
}
