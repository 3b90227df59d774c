import CryptoCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Jobs
import Logging
import NIOCore
import Postgres
import Redis
import Store
import Synchronization
import TestSupport
import Testing
import Web

/// One admin-dashboard test's world: a fresh schema, a private session prefix, its own queue, the site.
struct AdminWorld: Sendable {
    static let password = "correct horse battery staple"
    static let passwordHash: String = (try? PasswordHash.make(password: password, iterations: 1000)) ?? ""

    let redis: RedisClient
    let pool: PostgresPool
    let repositories: Repositories
    /// The read-only pool the dashboard's read pages must query (counts its reads; the tests' primary).
    let reads: CountingReads
    let site: AdminSite
    let clock: TestClock
    let queue: String
    let sessionPrefix: String
    let logger: Logger

    /// Runs `body` with a world and an in-process test client, then cleans Redis up.
    static func with(
        crontab: Crontab? = nil, live: Bool = false,
        _ body: @Sendable (AdminWorld, any TestClientProtocol) async throws -> Void
    ) async throws {
        var logger = Logger(label: "admin.test")
        logger.logLevel = .critical
        try await withTestPostgres(logger: logger) { pool, _ in
            _ = try await Migrator(pool: pool, logger: logger).migrate()
            let redis = RedisClient(
                configuration: try RedisConfiguration(url: TestEnvironment.redisURL), logger: logger)
            defer { redis.close() }
            let clock = TestClock()
            let sessionPrefix = "\(TestEnvironment.uniqueName("adminsession")):"
            let repositories = Repositories(pool: pool)
            let reads = CountingReads(pool: pool)
            let site = try AdminSite(
                configuration: AdminConfiguration(
                    passwordHash: passwordHash, cookieSecurity: .never, sessionLifetime: .seconds(600),
                    sessionKeyPrefix: sessionPrefix, failedLoginsPerMinute: 5, deadPageSize: 3),
                redis: redis, repositories: repositories, reads: reads, crontab: crontab, logger: logger,
                now: { clock.now })
            let world = AdminWorld(
                redis: redis, pool: pool, repositories: repositories, reads: reads, site: site, clock: clock,
                queue: TestEnvironment.uniqueName("adminq"), sessionPrefix: sessionPrefix, logger: logger)
            let router = Router(context: BasicRequestContext.self)
            site.add(to: router)
            do {
                try await Application(router: router).test(live ? .live : .router) { client in
                    try await body(world, client)
                }
            } catch {
                await world.cleanUp()
                throw error
            }
            await world.cleanUp()
        }
    }

    /// Deletes the world's sessions, queue keys and queue name.
    func cleanUp() async {
        for pattern in [sessionPrefix + "*", "woodstock:jobs:\\{\(queue)\\}*"] {
            let keys = (try? await redis.send("KEYS", pattern).array?.compactMap(\.bytes)) ?? []
            if !keys.isEmpty { _ = try? await redis.send(RedisCommand("DEL", arguments: keys)) }
        }
        _ = try? await redis.send("SREM", "woodstock:jobs:queues", queue)
    }

    /// Signs in through the login form; returns the signed-in cookie header value and the session's CSRF token.
    func signIn(_ client: some TestClientProtocol) async throws -> (cookie: String, csrf: String) {
        let (anonymous, csrf) = try await loginForm(client)
        let response = try await client.execute(
            uri: "/admin/login", method: .post, headers: Self.form(cookie: anonymous),
            body: ByteBuffer(string: "_csrf=\(csrf)&password=\(Self.encoded(Self.password))&next=/admin/tenants"))
        #expect(response.status == .seeOther)
        #expect(response.headers[.location] == "/admin/tenants")
        let cookie = try #require(Self.cookie(from: response))
        #expect(cookie != anonymous, "login rotates the session id")
        let page = try await client.execute(uri: "/admin/queues", method: .get, headers: [.cookie: cookie])
        return (cookie, try #require(Self.csrf(in: String(buffer: page.body))))
    }

    /// Opens the login form; returns the anonymous session cookie and its CSRF token.
    func loginForm(_ client: some TestClientProtocol) async throws -> (cookie: String, csrf: String) {
        let response = try await client.execute(uri: "/admin/login", method: .get)
        #expect(response.status == .ok)
        let cookie = try #require(Self.cookie(from: response))
        return (cookie, try #require(Self.csrf(in: String(buffer: response.body))))
    }

    /// Audit rows written by the dashboard whose action starts with `prefix`.
    func audited(_ prefix: String) async throws -> [AuditRecord] {
        try await repositories.audit.search(AuditFilter(actorPrefix: AdminSite.actor, actionPrefix: prefix))
    }

    static func form(cookie: String?) -> HTTPFields {
        var fields: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { fields[.cookie] = cookie }
        return fields
    }

    /// `woodstock_admin=<id>` from a response's `Set-Cookie`.
    static func cookie(from response: TestResponse) -> String? {
        guard let header = response.headers[.setCookie], let pair = header.split(separator: ";").first,
            pair.hasPrefix("woodstock_admin=")
        else { return nil }
        return String(pair)
    }

    static func csrf(in html: String) -> String? {
        guard let range = html.range(of: "name=\"_csrf\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}

/// A read-only pool over the test's primary that counts the reads made through it, so a test can tell that a page
/// queried where `DATABASE_REPLICA_URL` would send it (SystemTests' PostgresReplicaTests cover the replica itself).
final class CountingReads: ReadOnlyPostgres {
    let pool: PostgresPool
    private let count = Mutex(0)

    init(pool: PostgresPool) { self.pool = pool }

    /// How many reads went through this pool.
    var reads: Int { count.withLock { $0 } }

    func read<T: Sendable>(_ body: (PostgresPool) async throws -> T) async throws -> T {
        count.withLock { $0 += 1 }
        return try await body(pool)
    }
}
