/// A Lua script run with `EVALSHA`, loaded with `SCRIPT LOAD` only when the server answers `NOSCRIPT`.
///
/// The SHA-1 is computed once, locally, so the first run already costs a single round trip
/// when the server knows the script.
///
/// ```swift
/// static let increment = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
/// let value = try await redis.run(increment, keys: ["counter"], arguments: [5])
/// ```
public struct RedisScript: Sendable, Hashable {
    /// The Lua source.
    public let source: String
    /// The lowercase hex SHA-1 of the source, as Redis names it.
    public let sha1: String

    /// Creates a script and computes its SHA-1.
    public init(_ source: String) {
        self.source = source
        self.sha1 = SHA1.hexDigest(Array(source.utf8))
    }

    /// The `EVALSHA` command for these keys and arguments.
    public func evalSHA(keys: [any RedisArgumentConvertible], arguments: [any RedisArgumentConvertible]) -> RedisCommand
    {
        RedisCommand("EVALSHA", arguments: [sha1, keys.count] + keys + arguments)
    }
}

extension RedisConnection {
    /// Runs a script with `EVALSHA`, loading it once if the server does not know it.
    /// - Parameters:
    ///   - script: The script.
    ///   - keys: The keys it touches (for Redis Cluster they must share a hash tag).
    ///   - arguments: Its `ARGV`.
    /// - Returns: The script's reply.
    /// - Throws: ``RedisError`` `.serverError` with the server's text when the script fails.
    public func run(
        _ script: RedisScript,
        keys: [any RedisArgumentConvertible] = [],
        arguments: [any RedisArgumentConvertible] = []
    ) throws -> RedisReply {
        let command = script.evalSHA(keys: keys, arguments: arguments)
        do {
            return try send(command)
        } catch let error as RedisError where error.isNoScript {
            try load(script)
            return try send(command)
        }
    }

    /// Runs several script calls (or any commands) in one round trip, loading scripts the server lacks
    /// and re-running only the calls that met `NOSCRIPT`.
    /// - Parameters:
    ///   - commands: The commands, in order.
    ///   - scripts: The scripts the commands may call by SHA-1.
    /// - Returns: One result per command, in order.
    /// - Throws: ``RedisError`` when the connection failed.
    public func pipeline(
        _ commands: [RedisCommand],
        loading scripts: [RedisScript]
    ) throws -> [Result<RedisReply, RedisError>] {
        var results = try pipeline(commands)
        let missing = results.indices.filter { index in
            if case .failure(let error) = results[index], error.isNoScript { return true }
            return false
        }
        guard !missing.isEmpty else { return results }
        for script in scripts { try load(script) }
        let retried = try pipeline(missing.map { commands[$0] })
        for (index, result) in zip(missing, retried) { results[index] = result }
        return results
    }

    /// Loads a script into the server's script cache.
    /// - Throws: ``RedisError`` `.scriptFailed` when the server rejects the source.
    public func load(_ script: RedisScript) throws {
        do {
            _ = try send(RedisCommand("SCRIPT", "LOAD", script.source))
        } catch let error as RedisError where error.code == .serverError {
            throw RedisError(.scriptFailed, message: "SCRIPT LOAD: \(error.message ?? "")")
        }
    }
}

extension RedisError {
    /// `true` when the server does not have the script in its cache.
    var isNoScript: Bool { code == .serverError && (message?.hasPrefix("NOSCRIPT") ?? false) }
}
