public import Logging
import Synchronization

/// A pool of Redis connections; every blocking hiredis call runs on the leased connection's own thread.
///
/// Thread-safe: share one client per process. A connection that breaks (server restarted, network
/// error) is dropped and re-dialed on its next lease; the command that met the failure throws
/// ``RedisError`` `.connectionClosed` and the caller decides whether to retry.
///
/// ```swift
/// let redis = try RedisClient(configuration: RedisConfiguration(url: "redis://127.0.0.1:6379/0"), logger: logger)
/// _ = try await redis.send("SET", "greeting", "hello")
/// let value = try await redis.send("GET", "greeting").string
/// let replies = try await redis.pipeline([RedisCommand("INCR", "a"), RedisCommand("INCR", "b")])
/// ```
public final class RedisClient: Sendable {
    /// The configuration the pool dials with.
    public let configuration: RedisConfiguration
    /// Whether calls confirm their writes on a replica before returning (default ``RedisDurability/off``).
    public let durability: RedisDurability
    let logger: Logger
    private let pool: RedisPool
    /// Standalone servers: the shared, automatically pipelined connection for ``send(_:)-(RedisCommand)``,
    /// ``pipeline(_:)`` and ``run(_:keys:arguments:)`` (nil for cluster and Sentinel, which route per command).
    private let multiplexer: RedisConnectionMultiplexer?
    private let ownsPool: Bool
    private let replicaCache = RedisReplicaCache()

    /// Creates a client; no connection is dialed until the first command.
    /// - Parameters:
    ///   - configuration: Address, credentials, pool size and timeouts.
    ///   - logger: Where connection trouble is logged (never with the password).
    public init(configuration: RedisConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        let pool = RedisPool(configuration: configuration)
        self.pool = pool
        if case .standalone = configuration.topology, configuration.sharesConnection {
            self.multiplexer = try? RedisConnectionMultiplexer(configuration: configuration, epoch: pool.epoch)
        } else {
            self.multiplexer = nil
        }
        self.ownsPool = true
        self.durability = .off
    }

    private init(sharing client: RedisClient, durability: RedisDurability) {
        self.configuration = client.configuration
        self.logger = client.logger
        self.pool = client.pool
        self.multiplexer = client.multiplexer
        self.ownsPool = false
        self.durability = durability
    }

    deinit { if ownsPool { closePools() } }

    /// A client on the same pool whose every call (``send(_:)-(RedisCommand)``, ``pipeline(_:)``, ``run(_:keys:arguments:)``,
    /// ``withConnection(_:)``) ends with `WAIT` on the same connection, per `durability`. Closing the original
    /// closes both; closing the returned one does nothing.
    /// - Returns: The durable view.
    public func withDurability(_ durability: RedisDurability) -> RedisClient {
        RedisClient(sharing: self, durability: durability)
    }

    /// Closes every pooled connection; later calls throw `.poolClosed` (a no-op on a ``withDurability(_:)`` view).
    public func close() { if ownsPool { closePools() } }

    private func closePools() {
        pool.close()
        multiplexer?.shutdown()
    }

    /// The multiplexed connection, when these commands may use it (no durability, standalone, no blocking
    /// or connection-state command).
    private func sharedConnection(for commands: [RedisCommand]) -> RedisConnectionMultiplexer? {
        guard let multiplexer, durabilityAllowsSharing else { return nil }
        return commands.allSatisfy(RedisConnectionMultiplexer.canMultiplex) ? multiplexer : nil
    }

    /// Whether calls may skip the replica confirmation and so use the shared connection: durability off, or `auto`
    /// while the last look (under a second old) found fewer replicas attached than it needs (it degrades anyway). A pooled call refreshes that look
    /// once it is stale, so a replica that attaches is noticed within about a second.
    var durabilityAllowsSharing: Bool {
        switch durability.mode {
        case .off: return true
        case .auto: return (replicaCache.replicas(now: .now) ?? Int.max) < durability.replicas
        case .required: return false
        }
    }

    /// Sends one command on a pooled connection.
    /// - Returns: The typed reply.
    /// - Throws: ``RedisError``: `.serverError` for an error reply (with the server's text),
    ///   `.connectionClosed`/`.timeout`/`.connectionFailed` for connection trouble, `.poolClosed` after ``close()``.
    public func send(_ command: RedisCommand) async throws -> RedisReply {
        if let shared = sharedConnection(for: [command]) { return try await shared.send(command) }
        return try await withConnection { try $0.send(command) }
    }

    /// Sends one command built from a name and arguments.
    /// - Returns: The typed reply.
    /// - Throws: See ``send(_:)-(RedisCommand)``.
    public func send(_ name: String, _ arguments: any RedisArgumentConvertible...) async throws -> RedisReply {
        return try await send(RedisCommand(name, arguments: arguments))
    }

    /// Sends many commands in one round trip.
    /// - Returns: One result per command, in order; error replies are `.failure(.serverError)`.
    /// - Throws: ``RedisError`` for connection trouble.
    public func pipeline(_ commands: [RedisCommand]) async throws -> [Result<RedisReply, RedisError>] {
        if let shared = sharedConnection(for: commands) { return try await shared.pipeline(commands) }
        return try await withConnection { try $0.pipeline(commands) }
    }

    /// Runs a Lua script with `EVALSHA`, loading it first if the server answers `NOSCRIPT`.
    /// - Returns: The script's reply.
    /// - Throws: ``RedisError`` `.serverError` with the server's text when the script fails.
    public func run(
        _ script: RedisScript,
        keys: [any RedisArgumentConvertible] = [],
        arguments: [any RedisArgumentConvertible] = []
    ) async throws -> RedisReply {
        if let shared = durabilityAllowsSharing ? multiplexer : nil {
            let command = script.evalSHA(keys: keys, arguments: arguments)
            do {
                return try await shared.send(command)
            } catch let error as RedisError where error.isNoScript {
                do {
                    _ = try await shared.send(RedisCommand("SCRIPT", "LOAD", script.source))
                } catch let error as RedisError where error.code == .serverError {
                    throw RedisError(.scriptFailed, message: "SCRIPT LOAD: \(error.message ?? "")")
                }
                return try await shared.send(command)
            }
        }
        let keyBytes = keys.map(\.redisArgument)
        let argumentBytes = arguments.map(\.redisArgument)
        return try await withConnection { try $0.run(script, keys: keyBytes, arguments: argumentBytes) }
    }

    /// Leases a connection and runs a synchronous closure on its own thread: several commands, one hop.
    ///
    /// The closure must not keep the connection. Cancellation is checked before the lease; a running
    /// closure is not interrupted (use ``withDedicatedConnection(_:)`` for blocking commands).
    /// - Returns: What the closure returns.
    /// - Throws: What the closure throws, or ``RedisError`` for connection trouble.
    public func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (RedisConnection) throws -> T
    ) async throws -> T {
        let host = try await pool.lease()
        defer { pool.release(host) }
        let durability = self.durability
        guard durability.mode != .off else { return try await host.perform(body) }
        let cache = replicaCache
        let logger = self.logger
        return try await host.perform { connection in
            connection.beginDurableCall()
            let value = try body(connection)
            if try !connection.confirm(durability, cache: cache), cache.shouldWarn(now: .now) {
                logger.warning("durable Redis writes degraded: no replica attached, writes are not confirmed")
            }
            return value
        }
    }

    /// Makes a connection outside the pool, for a long-lived blocking loop; the caller must ``RedisDedicatedConnection/close()`` it.
    /// - Returns: A connection that dials on its first call.
    public func makeDedicatedConnection() -> RedisDedicatedConnection {
        RedisDedicatedConnection(configuration: configuration)
    }

    /// Opens a connection outside the pool for blocking commands (`BLPOP`, `BLMOVE`, `BZPOPMIN` …),
    /// runs `body` with it, then closes it.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws.
    public func withDedicatedConnection<T: Sendable>(
        _ body: (RedisDedicatedConnection) async throws -> T
    ) async throws -> T {
        let connection = RedisDedicatedConnection(configuration: configuration)
        defer { connection.close() }
        return try await body(connection)
    }
}
