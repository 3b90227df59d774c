import Billing
import CryptoCore
import Foundation
import HTTP
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Meta
import NIOCore
import Postgres
import Redis
import Store
import TestSupport
import Vault
import Web

/// A migrated private schema, unique Redis prefixes, a sandbox process and the tenant pages wired to all of
/// them; torn down afterwards.
struct TenantHarness: Sendable {
    let pool: PostgresPool
    let repositories: Repositories
    let redis: RedisClient
    let vault: Vault
    let http: HTTPClient
    let sandboxURL: String
    let sessions: SessionStore
    let login: TenantLoginService
    let inbox: InboxService
    let web: TenantWeb
    let clock: TestClock

    /// A moving clock for the session store (expired-session tests).
    final class TestClock: @unchecked Sendable {
        // Invariant: `offset` is only touched under `lock`.
        private let lock = NSLock()
        private var offset: TimeInterval = 0
        func now() -> Date { lock.withLock { Date().addingTimeInterval(offset) } }
        func advance(_ seconds: TimeInterval) { lock.withLock { offset += seconds } }
    }

    /// A tenant with a login, an Instagram integration with a sandbox token, and one customer conversation.
    struct Fixture: Sendable {
        let tenant: Tenant
        let user: TenantUser
        let password: String
        let integrationID: IntegrationID
        let accountID: String
        let customerID: String
        let conversationID: UUID
    }

    static let password = "correct horse battery"

    func makeTenant(_ name: String, tier: Store.Tier = .professional, smtpEmail: String? = nil) async throws -> Fixture
    {
        let tenant = try await repositories.tenants.create(name: name, tier: tier, actor: "test")
        let email = smtpEmail ?? "\(TestEnvironment.uniqueName("owner"))@example.test"
        let hash = try PasswordHash.make(password: Self.password, iterations: 1_000)
        let user = try await TenantUserRepository(pool: pool).create(
            tenantID: tenant.id, email: email, passwordHash: hash, actor: "test")
        let accountID = TestEnvironment.uniqueName("ig")
        let integration = try await repositories.integrations.connect(
            tenantID: tenant.id, platform: .instagram, accountID: accountID, accountName: name, actor: "test")
        let token = "sandbox-token-\(accountID)"
        try await vault.storeAccessToken(
            Secret(token), tenantID: tenant.id, integrationID: integration.id,
            expiresAt: Date().addingTimeInterval(30 * 86_400), actor: "test")
        try await sandbox(.post, "/_sandbox/tokens", body: #"{"token":"\#(token)","user_id":"\#(accountID)"}"#)
        let customerID = TestEnvironment.uniqueName("igsid")
        let customer = try await repositories.users.upsert(
            tenantID: tenant.id, platform: .instagram, platformUserID: customerID, username: "\(name)-customer")
        let conversation = try await repositories.conversations.findOrCreate(
            tenantID: tenant.id, integrationID: integration.id, userID: customer.id)
        _ = try await repositories.messages.insertInbound(
            tenantID: tenant.id, conversationID: conversation.id, mid: TestEnvironment.uniqueName("mid"),
            body: "Hello from \(name)'s customer")
        try await setLastCustomerMessage(ago: 3_600, tenantID: tenant.id, conversationID: conversation.id)
        return Fixture(
            tenant: tenant, user: user, password: Self.password, integrationID: integration.id, accountID: accountID,
            customerID: customerID, conversationID: conversation.id)
    }

    /// Moves the customer's last message `seconds` into the past (the window tests).
    func setLastCustomerMessage(ago seconds: TimeInterval, tenantID: TenantID, conversationID: UUID) async throws {
        let date = Date().addingTimeInterval(-seconds)
        try await pool.query(
            """
            UPDATE chatbot_conversations SET last_customer_message_at = \(date)
            WHERE client_id = \(tenantID.rawValue) AND id = \(conversationID)
            """)
    }

    /// Moves the tenant's creation `days` into the past (so it has closed billing periods).
    func backdate(_ tenantID: TenantID, days: Int) async throws {
        let date = Date().addingTimeInterval(-Double(days) * 86_400)
        try await pool.query("UPDATE client_integrations SET created_at = \(date) WHERE id = \(tenantID.rawValue)")
    }

    /// One Send API call the sandbox recorded.
    struct Sent: Decodable, Sendable {
        var message_id: String
        var account: String
        var recipient: String
        var text: String?
        var messaging_type: String?
        var tag: String?
    }

    /// The sends the sandbox recorded to `recipient`.
    func sent(to recipient: String) async throws -> [Sent] {
        let body = try await sandbox(.get, "/_sandbox/sent?recipient=\(recipient)", body: nil)
        return try JSONDecoder().decode([Sent].self, from: Data(body))
    }

    @discardableResult
    func sandbox(_ method: HTTP.HTTPMethod, _ path: String, body: String?) async throws -> [UInt8] {
        let response = try await http.execute(
            HTTP.HTTPRequest(
                method: method, url: sandboxURL + path, headers: ["Content-Type": "application/json"],
                body: body.map { Array($0.utf8) }, timeout: .seconds(10)))
        guard response.isSuccess else { throw SandboxCallError(path: path, status: response.status) }
        return response.body
    }

    /// The router with the tenant pages.
    func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        web.add(to: router)
        return router
    }
}

/// A sandbox control call failed.
struct SandboxCallError: Error {
    let path: String
    let status: Int
}

/// Runs `body` with a fresh harness (own schema, own Redis prefixes, own sandbox process).
func withTenantHarness(
    smtp: SMTPConfiguration? = nil, liveStreamLifetime: Duration = .seconds(300),
    _ body: @Sendable (TenantHarness) async throws -> Void
) async throws {
    let logger = Logger(label: "test.tenant")
    let http = try HTTPClient(logger: logger)
    let redis = RedisClient(configuration: try RedisConfiguration(url: TestEnvironment.redisURL), logger: logger)
    let prefix = TestEnvironment.uniqueName("test:tenant")
    let clock = TenantHarness.TestClock()
    do {
        try await TestSandbox.withSandbox { sandbox in
            try await withTestPostgres(maximumConnections: 4) { pool, _ in
                try await Migrator(pool: pool, logger: logger).migrate()
                let repositories = Repositories(pool: pool)
                let vault = Vault(masterKey: try MasterKey.generate().key, repositories: repositories, logger: logger)
                let graph = GraphClient(
                    http: http,
                    configuration: GraphAPIConfiguration(
                        instagramGraphURL: sandbox.baseURL, facebookGraphURL: sandbox.baseURL,
                        instagramAPIURL: sandbox.baseURL, timeout: .seconds(10)),
                    logger: logger)
                let sessions = SessionStore(redis: redis, keyPrefix: "\(prefix):session:", now: { clock.now() })
                let login = TenantLoginService(
                    users: TenantUserRepository(pool: pool), tenants: repositories.tenants,
                    links: MagicLinkStore(redis: redis, keyPrefix: "\(prefix):magic"),
                    mail: smtp.map { TenantLoginService.Mail(http: http, smtp: $0, from: "relay@example.test") },
                    passwordIterations: 1_000, logger: logger)
                let inbox = InboxService(
                    pool: pool, repositories: repositories, vault: vault, graph: graph, logger: logger)
                let portal = TenantPortal(
                    pool: pool, repositories: repositories,
                    meter: UsageMeter(redis: redis, keyPrefix: "\(prefix):usage"),
                    logger: logger)
                let web = TenantWeb(
                    login: login, portal: portal, inbox: inbox,
                    connect: { tenantID, platform in
                        "https://www.instagram.com/oauth/authorize?tenant=\(tenantID)&p=\(platform)"
                    },
                    sessions: sessions,
                    cookie: SessionCookie(name: "woodstock_tenant", path: "/tenant", security: .never),
                    renderer: try TenantWeb.makeRenderer(), publicURL: "http://relay.test",
                    liveUpdateInterval: .milliseconds(100), liveStreamLifetime: liveStreamLifetime, logger: logger)
                try await body(
                    TenantHarness(
                        pool: pool, repositories: repositories, redis: redis, vault: vault, http: http,
                        sandboxURL: sandbox.baseURL, sessions: sessions, login: login, inbox: inbox, web: web,
                        clock: clock))
            }
        }
    } catch {
        try? await deleteTenantKeys(prefix: prefix, redis: redis)
        redis.close()
        await http.shutdown()
        throw error
    }
    try await deleteTenantKeys(prefix: prefix, redis: redis)
    redis.close()
    await http.shutdown()
}

private func deleteTenantKeys(prefix: String, redis: RedisClient) async throws {
    await RedisTestKeys.delete(matching: "\(prefix)*", redis: redis)
}
