import CryptoCore
public import Foundation
public import Redis

/// Browser sessions in Redis: random 256-bit ids, server-side expiry, rotation on login.
///
/// Each session is one Redis string holding its JSON, under `<keyPrefix><hash of id>` (the id itself is
/// never a key, so reading Redis does not hand out live session ids), with a Redis expiry equal to the
/// session's lifetime. ``session(id:)`` also checks ``WebSession/expiresAt`` against the store's clock.
///
/// Thread safety: a value type over a thread-safe ``RedisClient``; share it freely.
///
/// ```swift
/// let sessions = SessionStore(redis: redis, keyPrefix: "woodstock:session:admin:", lifetime: .seconds(8 * 3600))
/// let pre = try await sessions.create(subject: WebSession.anonymousSubject, lifetime: .seconds(900))
/// let signedIn = try await sessions.rotate(pre, subject: "admin")   // new id on login
/// let found = try await sessions.session(id: cookieValue)           // nil: missing, forged or expired
/// ```
public struct SessionStore: Sendable {
    /// The Redis client.
    public let redis: RedisClient
    /// The prefix of every session key (give admin and tenant sessions different ones).
    public let keyPrefix: String
    /// How long a signed-in session lives.
    public let lifetime: Duration
    private let now: @Sendable () -> Date

    /// Creates a store.
    /// - Parameters:
    ///   - redis: The Redis client.
    ///   - keyPrefix: The prefix of every key (`woodstock:session:`).
    ///   - lifetime: How long a session lives (8 hours unless given).
    ///   - now: The clock (tests move it forward to expire sessions).
    public init(
        redis: RedisClient, keyPrefix: String = "woodstock:session:", lifetime: Duration = .seconds(8 * 3600),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.redis = redis
        self.keyPrefix = keyPrefix
        self.lifetime = lifetime
        self.now = now
    }

    /// Creates and stores a new session with a fresh id and CSRF token.
    /// - Parameters:
    ///   - subject: Who it belongs to (`admin`, `tenant:<uuid>`, or ``WebSession/anonymousSubject``).
    ///   - attributes: Small non-secret values.
    ///   - lifetime: Overrides the store's lifetime (short for anonymous sessions).
    /// - Returns: The session; put its id in the cookie.
    /// - Throws: ``WebError`` `.sessionStore` for Redis trouble or a failed random source.
    public func create(
        subject: String, attributes: [String: String] = [:], lifetime: Duration? = nil
    ) async throws -> WebSession {
        let life = lifetime ?? self.lifetime
        let milliseconds = max(
            1, Int(life.components.seconds * 1000 + life.components.attoseconds / 1_000_000_000_000_000))
        let created = now()
        let session: WebSession
        do {
            session = WebSession(
                id: Base64.encodeURLSafe(try SecureRandom.bytes(count: 32)), subject: subject,
                csrfToken: try CSRFToken.make(), createdAt: created,
                expiresAt: created.addingTimeInterval(Double(milliseconds) / 1000), attributes: attributes)
        } catch {
            throw WebError(.sessionStore, message: "random: \(error)")
        }
        let json = try JSONEncoder().encode(session)
        do {
            _ = try await redis.send("SET", try key(for: session.id), Array(json), "PX", milliseconds)
        } catch {
            throw WebError(.sessionStore, message: "create: \(error)")
        }
        return session
    }

    /// The session with this id, if it exists and has not expired.
    /// - Parameter id: The cookie value (untrusted).
    /// - Returns: The session, or `nil` for a malformed, unknown or expired id.
    /// - Throws: ``WebError`` `.sessionStore` for Redis trouble.
    public func session(id: String) async throws -> WebSession? {
        guard Self.isWellFormed(id) else { return nil }
        let reply: RedisReply
        do {
            reply = try await redis.send("GET", try key(for: id))
        } catch {
            throw WebError(.sessionStore, message: "load: \(error)")
        }
        guard let bytes = reply.bytes, let session = try? JSONDecoder().decode(WebSession.self, from: Data(bytes)),
            ConstantTime.equals(session.id, id), !session.isExpired(at: now())
        else { return nil }
        return session
    }

    /// Signs a session in: destroys `old` (if any) and creates a new session with a new id and CSRF token,
    /// so an id seen before login (session fixation) is worthless after it.
    /// - Parameters:
    ///   - old: The session before login, or `nil`.
    ///   - subject: Who signed in.
    ///   - attributes: Small non-secret values.
    /// - Returns: The new session.
    /// - Throws: ``WebError`` `.sessionStore`.
    public func rotate(
        _ old: WebSession?, subject: String, attributes: [String: String] = [:]
    ) async throws -> WebSession {
        if let old { try await destroy(id: old.id) }
        return try await create(subject: subject, attributes: attributes)
    }

    /// Deletes a session (sign-out). Unknown ids are ignored.
    /// - Parameter id: The session id.
    /// - Throws: ``WebError`` `.sessionStore` for Redis trouble.
    public func destroy(id: String) async throws {
        guard Self.isWellFormed(id) else { return }
        do {
            _ = try await redis.send("DEL", try key(for: id))
        } catch {
            throw WebError(.sessionStore, message: "destroy: \(error)")
        }
    }

    /// Whether `id` looks like an id this store issues (43 base64url characters).
    /// - Parameter id: The candidate.
    /// - Returns: `true` for the right length and alphabet.
    public static func isWellFormed(_ id: String) -> Bool {
        id.utf8.count == 43
            && id.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x2D || byte == 0x5F
            }
    }

    private func key(for id: String) throws -> String {
        do {
            let digest = try HMACSHA256.authenticationCode(for: Array(id.utf8), using: Array("woodstock.session".utf8))
            return keyPrefix + Hex.encode(digest)
        } catch {
            throw WebError(.sessionStore, message: "key: \(error)")
        }
    }
}
