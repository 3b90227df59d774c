import Assistant
import Billing
import Foundation
import HTTP
import Logging
import Meta
import Postgres
import Redis
import Store
import TestSupport
import Vault

@testable import Messaging

/// A migrated private schema, a sandbox process, a unique meter prefix and a processor wired to all of them.
struct MessagingHarness {
    let pool: PostgresPool
    let repositories: Repositories
    let vault: Vault
    let redis: RedisClient
    let meter: UsageMeter
    let sandbox: SandboxProcess
    let dependencies: MessagingDependencies
    let processor: MessageProcessor

    /// A tenant with one Instagram integration, a sealed sandbox token and a persona.
    struct Tenant {
        let id: TenantID
        let integrationID: IntegrationID
        let accountID: String
        let businessName: String
    }

    /// Creates a tenant whose account `accountID` receives webhooks, with token `sandbox-<accountID>`.
    func makeTenant(
        _ businessName: String, tier: Store.Tier = .professional, accountID: String = TestEnvironment.uniqueName("ig"),
        settings: [String: String] = [:]
    ) async throws -> Tenant {
        let tenant = try await repositories.tenants.create(
            name: businessName, tier: tier,
            persona: Store.Persona(name: businessName, instructions: "Be kind.", settings: settings), actor: "test")
        let integration = try await repositories.integrations.connect(
            tenantID: tenant.id, platform: .instagram, accountID: accountID, accountName: businessName, actor: "test")
        let token = "sandbox-token-\(accountID)"
        try await vault.storeAccessToken(
            Secret(token), tenantID: tenant.id, integrationID: integration.id,
            expiresAt: Date().addingTimeInterval(30 * 86_400), actor: "test")
        try await sandbox.register(token: token, userID: accountID)
        return Tenant(id: tenant.id, integrationID: integration.id, accountID: accountID, businessName: businessName)
    }

    /// Processes one event as the job would.
    func process(_ event: WebhookEvent, attempt: Int = 1) async throws -> ProcessOutcome {
        try await processor.process(event, attempt: attempt, logger: Logger(label: "test.messaging"))
    }

    /// Every message stored for the tenant, oldest first.
    func messages(of tenant: Tenant) async throws -> [Message] {
        var all: [Message] = []
        for conversation in try await repositories.conversations.listRecent(tenantID: tenant.id) {
            all += try await repositories.messages.history(
                tenantID: tenant.id, conversationID: conversation.id, limit: 1_000)
        }
        return all.sorted { $0.createdAt < $1.createdAt }
    }

    /// Leaves every outbound row as a worker killed between the claim and the record does: `pending`, no `mid`.
    func markRepliesPending() async throws {
        try await pool.query(
            "UPDATE chatbot_messages SET send_state = 'pending', mid = NULL, sent_at = NULL WHERE direction = 'out'")
    }

    /// The tenant's conversations.
    func conversations(of tenant: Tenant) async throws -> [Conversation] {
        try await repositories.conversations.listRecent(tenantID: tenant.id)
    }

    /// A customer's text message to `tenant`.
    static func message(
        to tenant: Tenant, from customer: String, text: String, mid: String = TestEnvironment.uniqueName("mid")
    ) -> WebhookEvent {
        WebhookEvent(
            id: mid, platform: .instagram, accountID: tenant.accountID, senderID: customer,
            recipientID: tenant.accountID, timestampMs: Int64(Date().timeIntervalSince1970 * 1000), kind: .message,
            mid: mid, text: text)
    }

    /// An echo of a message the business account sent to `customer`.
    static func echo(of tenant: Tenant, to customer: String, mid: String, text: String) -> WebhookEvent {
        WebhookEvent(
            id: mid, platform: .instagram, accountID: tenant.accountID, senderID: tenant.accountID,
            recipientID: customer, timestampMs: Int64(Date().timeIntervalSince1970 * 1000), kind: .message, mid: mid,
            text: text, isEcho: true)
    }
}

/// Runs `body` with a fresh harness; everything is torn down afterwards.
func withMessagingHarness(
    settings: MessagingSettings = MessagingSettings(), metrics: MessagingMetrics = MessagingMetrics(),
    _ body: (MessagingHarness) async throws -> Void
) async throws {
    let logger = Logger(label: "test.messaging")
    let http = try HTTPClient(logger: logger)
    let sandbox = try await SandboxProcess(http: http)
    defer { sandbox.stop() }
    let redis = RedisClient(configuration: try RedisConfiguration(url: TestEnvironment.redisURL), logger: logger)
    let prefix = TestEnvironment.uniqueName("test:usage")
    do {
        try await withTestPostgres(maximumConnections: 4) { pool, _ in
            try await Migrator(pool: pool, logger: logger).migrate()
            let repositories = Repositories(pool: pool)
            let vault = Vault(masterKey: try MasterKey.generate().key, repositories: repositories, logger: logger)
            let meter = UsageMeter(redis: redis, keyPrefix: prefix, decisionTTL: .seconds(600))
            let graph = GraphClient(
                http: http,
                configuration: GraphAPIConfiguration(
                    instagramGraphURL: sandbox.baseURL, facebookGraphURL: sandbox.baseURL,
                    instagramAPIURL: sandbox.baseURL, timeout: .seconds(10)),
                logger: logger)
            let assistant = Assistant(
                client: ChatCompletionsClient(
                    http: http,
                    configuration: AssistantConfiguration(
                        baseURL: sandbox.baseURL, apiKey: "test-llm-key", timeout: .seconds(10)),
                    logger: logger),
                logger: logger)
            let dependencies = MessagingDependencies(
                pool: pool, repositories: repositories, vault: vault, graph: graph, assistant: assistant, meter: meter,
                settings: settings, metrics: metrics, logger: logger)
            try await body(
                MessagingHarness(
                    pool: pool, repositories: repositories, vault: vault, redis: redis, meter: meter, sandbox: sandbox,
                    dependencies: dependencies, processor: MessageProcessor(dependencies: dependencies)))
        }
    } catch {
        try? await deleteKeys(prefix: prefix, redis: redis)
        redis.close()
        await http.shutdown()
        throw error
    }
    try await deleteKeys(prefix: prefix, redis: redis)
    redis.close()
    await http.shutdown()
}

private func deleteKeys(prefix: String, redis: RedisClient) async throws {
    var cursor = "0"
    repeat {
        let reply = try await redis.send("SCAN", cursor, "MATCH", "\(prefix)*", "COUNT", 1_000)
        guard let parts = reply.array, parts.count == 2 else { return }
        cursor = parts[0].string ?? "0"
        let keys = parts[1].array?.compactMap(\.string) ?? []
        if !keys.isEmpty { _ = try await redis.send(RedisCommand("DEL", arguments: keys)) }
    } while cursor != "0"
}
