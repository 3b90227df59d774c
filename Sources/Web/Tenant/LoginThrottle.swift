import CryptoCore
import Foundation
public import Redis

/// Limits guessing and mail-bombing at the tenant login, per e-mail address, in Redis (shared by every
/// `serve` process): failed passwords per minute, and magic links per quarter hour.
///
/// Keys carry a keyed SHA-256 of the normalised address, never the address itself. Counting is one Lua call
/// (`INCR`, `EXPIRE` on the first count, the limit check, `PTTL`), so concurrent attempts cannot slip past it.
///
/// ```swift
/// let throttle = LoginThrottle(redis: redis)
/// if let wait = try await throttle.passwordLockout(email: email) { /* 429, Retry-After: wait */ }
/// try await throttle.recordPasswordFailure(email: email)
/// if let wait = try await throttle.admitMagicLink(email: email) { /* 429 */ }
/// ```
public struct LoginThrottle: Sendable {
    /// The limits.
    public struct Limits: Sendable {
        /// Wrong passwords per address per minute before further attempts are refused (default 10).
        public var passwordFailuresPerMinute: Int
        /// Magic links per address per window (default 3).
        public var magicLinksPerWindow: Int
        /// The magic-link window in seconds (default 900, the lifetime of a link).
        public var magicLinkWindowSeconds: Int

        /// Creates limits; every value has a default.
        public init(
            passwordFailuresPerMinute: Int = 10, magicLinksPerWindow: Int = 3, magicLinkWindowSeconds: Int = 900
        ) {
            self.passwordFailuresPerMinute = passwordFailuresPerMinute
            self.magicLinksPerWindow = magicLinksPerWindow
            self.magicLinkWindowSeconds = magicLinkWindowSeconds
        }
    }

    let redis: RedisClient
    let keyPrefix: String
    /// The limits in force.
    public let limits: Limits

    /// Creates a throttle.
    /// - Parameters:
    ///   - redis: the Redis client.
    ///   - keyPrefix: prefix of every key (default `woodstock:login`).
    ///   - limits: the limits.
    public init(redis: RedisClient, keyPrefix: String = "woodstock:login", limits: Limits = Limits()) {
        self.redis = redis
        self.keyPrefix = keyPrefix
        self.limits = limits
    }

    /// Seconds until another password attempt for `email` is allowed, or `nil` when one is allowed now.
    /// - Throws: ``RedisError``.
    public func passwordLockout(email: String) async throws -> Int? {
        let key = try passwordKey(email)
        let reply = try await redis.pipeline([RedisCommand("GET", key), RedisCommand("PTTL", key)])
        let failures = Int(try reply[0].get().string ?? "0") ?? 0
        guard failures >= limits.passwordFailuresPerMinute else { return nil }
        return Self.seconds(milliseconds: try reply[1].get().int ?? 1_000)
    }

    /// Counts one wrong password for `email`.
    /// - Throws: ``RedisError``.
    public func recordPasswordFailure(email: String) async throws {
        _ = try await count(try passwordKey(email), windowSeconds: 60, limit: nil)
    }

    /// Counts one magic-link request for `email`; returns seconds to wait when the address is over its limit
    /// (the request is then not counted), or `nil` when the link may be sent.
    /// - Throws: ``RedisError``.
    public func admitMagicLink(email: String) async throws -> Int? {
        try await count(
            try magicLinkKey(email), windowSeconds: limits.magicLinkWindowSeconds, limit: limits.magicLinksPerWindow)
    }

    /// `ARGV`: window seconds, limit (0: none). Over the limit the count is taken back in the same call (a
    /// separate `DECR` could land after the window expired and leave a key without a TTL). Returns
    /// `{admitted (0/1), window milliseconds left}`.
    static let countScript = RedisScript(
        """
        local n = redis.call('INCR', KEYS[1])
        if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
        local limit = tonumber(ARGV[2])
        local admitted = 1
        if limit > 0 and n > limit then
          redis.call('DECR', KEYS[1])
          admitted = 0
        end
        return {admitted, redis.call('PTTL', KEYS[1])}
        """)

    /// Counts one attempt in a fixed window; returns seconds until the window ends when over `limit` (the
    /// attempt then not counted), else `nil`.
    private func count(_ key: String, windowSeconds: Int, limit: Int?) async throws -> Int? {
        let reply = try await redis.run(Self.countScript, keys: [key], arguments: [windowSeconds, limit ?? 0])
        let values = reply.array?.compactMap(\.int) ?? []
        guard values.first == 0 else { return nil }
        return Self.seconds(milliseconds: values.count > 1 ? values[1] : windowSeconds * 1_000)
    }

    private func passwordKey(_ email: String) throws -> String { "\(keyPrefix):pw:\(try Self.digest(email))" }
    private func magicLinkKey(_ email: String) throws -> String { "\(keyPrefix):ml:\(try Self.digest(email))" }

    private static func digest(_ email: String) throws -> String {
        let normalized = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let digest = try HMACSHA256.authenticationCode(
            for: Array(normalized.utf8), using: Array("woodstock/login-throttle/v1".utf8))
        return Hex.encode(digest)
    }

    private static func seconds(milliseconds: Int) -> Int { max(1, (milliseconds + 999) / 1_000) }
}

/// A login attempt refused because its address tried too often; shown as 429 with `Retry-After`.
public struct LoginRefusal: Error, Sendable, CustomStringConvertible {
    /// Seconds until the address may try again.
    public let retryAfterSeconds: Int

    /// Creates a refusal.
    public init(retryAfterSeconds: Int) { self.retryAfterSeconds = retryAfterSeconds }

    /// Safe to show and log: no address.
    public var description: String { "too many attempts for this address; retry in \(retryAfterSeconds) s" }
}
