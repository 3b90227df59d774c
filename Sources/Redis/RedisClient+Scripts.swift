extension RedisClient {
    /// Whether ``send(_:)-(RedisCommand)``, ``pipeline(_:)`` and ``run(_:keys:arguments:)`` go over the shared,
    /// automatically pipelined connection (standalone server, shared connection on, durability off or degraded) rather than a
    /// pooled connection leased for the call.
    public var usesSharedConnection: Bool {
        guard case .standalone = configuration.topology else { return false }
        return configuration.sharesConnection && durabilityAllowsSharing
    }

    /// Runs several script calls (or any commands) in one round trip, loading the scripts the server lacks and
    /// re-running only the calls that met `NOSCRIPT` (a call that met it did not run).
    ///
    /// On the shared connection (``usesSharedConnection``) the commands join whatever else is in flight there:
    /// no pooled connection is leased and no thread is blocked. Otherwise the whole exchange runs on one leased
    /// connection, as ``RedisConnection/pipeline(_:loading:)`` does.
    /// - Parameters:
    ///   - commands: The commands, in order (none may block or change the connection's state).
    ///   - scripts: The scripts the commands may call by SHA-1.
    /// - Returns: One result per command, in order; error replies are `.failure(.serverError)`.
    /// - Throws: ``RedisError`` for connection trouble, `.scriptFailed` when the server rejects a script's source.
    public func pipeline(
        _ commands: [RedisCommand], loading scripts: [RedisScript]
    ) async throws -> [Result<RedisReply, RedisError>] {
        guard usesSharedConnection else {
            return try await withConnection { try $0.pipeline(commands, loading: scripts) }
        }
        var results = try await pipeline(commands)
        let missing = results.indices.filter { index in
            if case .failure(let error) = results[index], error.isNoScript { return true }
            return false
        }
        guard !missing.isEmpty else { return results }
        for script in scripts {
            do {
                _ = try await send(RedisCommand("SCRIPT", "LOAD", script.source))
            } catch let error as RedisError where error.code == .serverError {
                throw RedisError(.scriptFailed, message: "SCRIPT LOAD: \(error.message ?? "")")
            }
        }
        let retried = try await pipeline(missing.map { commands[$0] })
        for (index, result) in zip(missing, retried) { results[index] = result }
        return results
    }
}
