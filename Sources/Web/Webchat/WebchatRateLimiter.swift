public import Redis

/// Per-visitor and per-tenant rate limits for webchat messages, held in Redis and checked atomically.
///
/// One Lua call counts the message in two fixed windows (`<prefix>:{<tenant>}:rl:v:<visitor>` and
/// `<prefix>:{<tenant>}:rl:t`, both hash-tagged by tenant, so one cluster slot); when either is over its limit
/// the message is not counted and the caller learns how long to wait.
///
/// ```swift
/// let limiter = WebchatRateLimiter(redis: redis, limits: .init())
/// if let wait = try await limiter.admit(tenantID: tenant, visitorID: visitor) { /* 429, Retry-After: wait */ }
/// ```
///
/// Thread-safe (a value over a thread-safe ``RedisClient``).
public struct WebchatRateLimiter: Sendable {
    /// The limits.
    public struct Limits: Sendable {
        /// Messages one visitor may send per window (default 20).
        public var perVisitor: Int
        /// Messages (and new visitors) one tenant's widget may take per window (default 600).
        public var perTenant: Int
        /// The window length in seconds (default 60).
        public var windowSeconds: Int

        /// Creates limits; every value has a default.
        public init(perVisitor: Int = 20, perTenant: Int = 600, windowSeconds: Int = 60) {
            self.perVisitor = perVisitor
            self.perTenant = perTenant
            self.windowSeconds = windowSeconds
        }
    }

    static let script = RedisScript(
        """
        local v = 0
        if KEYS[1] ~= KEYS[2] then v = redis.call('INCR', KEYS[1]) end
        local t = redis.call('INCR', KEYS[2])
        if v == 1 then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
        if t == 1 then redis.call('EXPIRE', KEYS[2], ARGV[3]) end
        local over = nil
        if v > tonumber(ARGV[1]) then over = KEYS[1] end
        if t > tonumber(ARGV[2]) then over = KEYS[2] end
        if over == nil then return 0 end
        if KEYS[1] ~= KEYS[2] then redis.call('DECR', KEYS[1]) end
        redis.call('DECR', KEYS[2])
        local ttl = redis.call('PTTL', over)
        if ttl < 1 then ttl = 1 end
        return ttl
        """)

    /// The Redis client.
    public let redis: RedisClient
    /// The key prefix (default `woodstock:webchat`).
    public let keyPrefix: String
    /// The limits.
    public let limits: Limits

    /// Creates a limiter.
    /// - Parameters:
    ///   - redis: The Redis client.
    ///   - keyPrefix: Prefix of every key.
    ///   - limits: The limits.
    public init(redis: RedisClient, keyPrefix: String = "woodstock:webchat", limits: Limits = Limits()) {
        self.redis = redis
        self.keyPrefix = keyPrefix
        self.limits = limits
    }

    /// Counts one message, unless a limit is reached.
    /// - Parameters:
    ///   - tenantID: The tenant.
    ///   - visitorID: The visitor, or `nil` to count against the tenant only (issuing a visitor).
    /// - Returns: `nil` when admitted, else how long until the full window frees up (whole seconds, at least 1).
    /// - Throws: ``RedisError``.
    public func admit(tenantID: String, visitorID: String?) async throws -> Int? {
        let tenantKey = "\(keyPrefix):{\(tenantID)}:rl:t"
        let visitorKey = visitorID.map { "\(keyPrefix):{\(tenantID)}:rl:v:\($0)" } ?? tenantKey
        let reply = try await redis.run(
            Self.script, keys: [visitorKey, tenantKey],
            arguments: [limits.perVisitor, limits.perTenant, limits.windowSeconds])
        guard let milliseconds = reply.int, milliseconds > 0 else { return nil }
        return max(1, (milliseconds + 999) / 1000)
    }
}
