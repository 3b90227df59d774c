public import Redis

/// Makes OAuth states single-use: each issued nonce is kept in Redis until its first use or its expiry.
///
/// ``remember(_:lifetimeSeconds:)`` writes `PREFIX oauth:state:<nonce>` with a TTL; ``consume(_:)`` removes it
/// with `GETDEL`, one atomic command, so of two callbacks racing with the same state exactly one wins.
/// Thread-safe (it only holds the shared ``RedisClient``).
public struct OAuthStateStore: Sendable {
    private let redis: RedisClient
    private let keyPrefix: String

    /// Creates a store.
    /// - Parameters:
    ///   - redis: the shared client.
    ///   - keyPrefix: prepended to every key (tests isolate themselves with a unique prefix); default `woodstock:`.
    public init(redis: RedisClient, keyPrefix: String = "woodstock:") {
        self.redis = redis
        self.keyPrefix = keyPrefix
    }

    private func key(_ nonce: String) -> String { "\(keyPrefix)oauth:state:\(nonce)" }

    private static func binding(_ state: OAuthState) -> String { "\(state.tenantID)\n\(state.platform.rawValue)" }

    /// Records a freshly issued state until it is used or `lifetimeSeconds` pass.
    /// - Throws: ``RedisError`` when Redis is unreachable.
    public func remember(_ state: OAuthState, lifetimeSeconds: Int64) async throws {
        _ = try await redis.send("SET", key(state.nonce), Self.binding(state), "EX", Int(lifetimeSeconds), "NX")
    }

    /// Consumes a verified state.
    /// - Returns: `true` the first time for a state issued by ``remember(_:lifetimeSeconds:)`` with the same
    ///   tenant and flow; `false` when it was used before, expired in Redis, or never stored.
    /// - Throws: ``RedisError`` when Redis is unreachable.
    public func consume(_ state: OAuthState) async throws -> Bool {
        let reply = try await redis.send("GETDEL", key(state.nonce))
        guard let stored = reply.string else { return false }
        return stored == Self.binding(state)
    }
}
