import CryptoCore
public import Foundation
public import Redis
public import Store

/// Single-use login links for tenant users, kept in Redis: the random token travels only in the e-mail; Redis
/// holds its HMAC-SHA256 digest (so a Redis dump does not log anyone in) with a 15-minute expiry, and
/// ``consume(_:)`` deletes it atomically (`GETDEL`), so a link works once.
///
/// ```swift
/// let links = MagicLinkStore(redis: redis, keyPrefix: "woodstock:magic")
/// let token = try await links.issue(tenantID: user.tenantID, userID: user.id)     // mail …/login/magic?token=…
/// let login = try await links.consume(token)                                     // nil: unknown, used or expired
/// ```
public struct MagicLinkStore: Sendable {
    /// A consumed link: whose login it was.
    public struct Login: Sendable, Equatable {
        /// The tenant.
        public var tenantID: TenantID
        /// The tenant user.
        public var userID: UUID
    }

    let redis: RedisClient
    let keyPrefix: String
    /// How long a link is valid.
    public let lifetime: Duration

    /// Creates the store.
    /// - Parameters:
    ///   - redis: the Redis client.
    ///   - keyPrefix: key prefix (tests isolate with a unique one).
    ///   - lifetime: validity of a link; 15 minutes by default.
    public init(redis: RedisClient, keyPrefix: String = "woodstock:magic", lifetime: Duration = .seconds(900)) {
        self.redis = redis
        self.keyPrefix = keyPrefix
        self.lifetime = lifetime
    }

    /// Issues a link token for the user (256 random bits, URL-safe base64).
    /// - Returns: the token to put in the e-mailed link.
    /// - Throws: a ``CryptoError`` or ``RedisError``.
    public func issue(tenantID: TenantID, userID: UUID) async throws -> String {
        let token = Base64.encodeURLSafe(try SecureRandom.bytes(count: 32))
        let value = "\(tenantID) \(userID.uuidString.lowercased())"
        let seconds = max(1, Int(lifetime.components.seconds))
        _ = try await redis.send("SET", try key(for: token), value, "EX", seconds)
        return token
    }

    /// Uses a link: returns its login and deletes it, or `nil` when the token is unknown, used or expired.
    /// - Throws: a ``RedisError``.
    public func consume(_ token: String) async throws -> Login? {
        guard token.count >= 40, token.count <= 64, Base64.decodeURLSafe(token) != nil else { return nil }
        let reply = try await redis.send("GETDEL", try key(for: token))
        guard let value = reply.string else { return nil }
        let parts = value.split(separator: " ")
        guard parts.count == 2, let tenantID = TenantID(String(parts[0])),
            let userID = UUID(uuidString: String(parts[1]))
        else { return nil }
        return Login(tenantID: tenantID, userID: userID)
    }

    func key(for token: String) throws -> String {
        let digest = try HMACSHA256.authenticationCode(
            for: Array(token.utf8), using: Array("woodstock/magic-link/v1".utf8))
        return "\(keyPrefix):\(Hex.encode(digest))"
    }
}
