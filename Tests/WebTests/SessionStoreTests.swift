import Foundation
import Logging
import Redis
import Synchronization
import TestSupport
import Testing
import Web

/// A clock tests move forward.
final class TestClock: Sendable {
    private let current = Mutex(Date())
    /// The current time.
    var now: Date { current.withLock { $0 } }
    /// Moves the clock forward.
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

@Suite struct SessionStoreTests {
    static func withStore(
        lifetime: Duration = .seconds(3600), clock: TestClock = TestClock(),
        _ body: (SessionStore, RedisClient) async throws -> Void
    ) async throws {
        let redis = RedisClient(
            configuration: try RedisConfiguration(url: TestEnvironment.redisURL), logger: Logger(label: "test"))
        let prefix = "\(TestEnvironment.uniqueName("session")):"
        let store = SessionStore(redis: redis, keyPrefix: prefix, lifetime: lifetime, now: { clock.now })
        defer { redis.close() }
        try await body(store, redis)
        let keys = try await redis.send("KEYS", prefix + "*").array?.compactMap(\.string) ?? []
        for key in keys { _ = try await redis.send("DEL", key) }
    }

    @Test("a created session is found by its id, with a 256-bit id and its own CSRF token")
    func createAndLoad() async throws {
        try await Self.withStore { store, redis in
            let session = try await store.create(subject: "admin", attributes: ["name": "Ops"])
            #expect(session.id.count == 43)
            #expect(SessionStore.isWellFormed(session.id))
            #expect(session.csrfToken.count == 43 && session.csrfToken != session.id)
            let found = try await store.session(id: session.id)
            #expect(found == session)
            let keys = try await redis.send("KEYS", store.keyPrefix + "*").array?.compactMap(\.string) ?? []
            #expect(keys.count == 1)
            #expect(keys.allSatisfy { !$0.contains(session.id) }, "the id itself is never a Redis key")
            let ttl = try await redis.send("PTTL", try #require(keys.first)).int ?? -1
            #expect(ttl > 3_500_000 && ttl <= 3_600_000)
        }
    }

    @Test("unknown, malformed and forged ids find nothing")
    func unknownIDs() async throws {
        try await Self.withStore { store, _ in
            let session = try await store.create(subject: "admin")
            #expect(try await store.session(id: "") == nil)
            #expect(try await store.session(id: "not-a-session") == nil)
            #expect(try await store.session(id: String(repeating: "A", count: 43)) == nil)
            var forged = Array(session.id)
            forged[0] = forged[0] == "A" ? "B" : "A"
            #expect(try await store.session(id: String(forged)) == nil)
        }
    }

    @Test("a session past its expiry is not found, even while Redis still holds it")
    func expiry() async throws {
        let clock = TestClock()
        try await Self.withStore(lifetime: .seconds(60), clock: clock) { store, _ in
            let session = try await store.create(subject: "admin")
            clock.advance(59)
            #expect(try await store.session(id: session.id) != nil)
            clock.advance(2)
            #expect(try await store.session(id: session.id) == nil)
        }
    }

    @Test("rotate on login: the old id stops working, the new one has a new CSRF token")
    func rotation() async throws {
        try await Self.withStore { store, _ in
            let anonymous = try await store.create(subject: WebSession.anonymousSubject, lifetime: .seconds(900))
            #expect(anonymous.isAnonymous)
            let signedIn = try await store.rotate(anonymous, subject: "admin")
            #expect(signedIn.id != anonymous.id)
            #expect(signedIn.csrfToken != anonymous.csrfToken)
            #expect(try await store.session(id: anonymous.id) == nil)
            #expect(try await store.session(id: signedIn.id)?.subject == "admin")
            try await store.destroy(id: signedIn.id)
            #expect(try await store.session(id: signedIn.id) == nil)
        }
    }

    @Test("CSRF tokens compare exactly")
    func csrf() async throws {
        try await Self.withStore { store, _ in
            let session = try await store.create(subject: "admin")
            #expect(CSRFToken.isValid(session.csrfToken, for: session))
            #expect(!CSRFToken.isValid(nil, for: session))
            #expect(!CSRFToken.isValid("", for: session))
            #expect(!CSRFToken.isValid(session.csrfToken + "x", for: session))
            #expect(!CSRFToken.isValid(String(session.csrfToken.dropLast()) + "!", for: session))
        }
    }
}
