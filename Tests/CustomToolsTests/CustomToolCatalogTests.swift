import Assistant
import CustomTools
import Foundation
import HTTP
import Logging
import Store
import TestSupport
import Testing
import Vault

@Suite struct CustomToolCatalogTests {
    static let schema = #"{"type":"object","properties":{"order":{"type":"string"}}}"#

    struct Fixture {
        let repositories: Repositories
        let tools: TenantToolRepository
        let vault: Vault
    }

    func withStore(_ body: (Fixture) async throws -> Void) async throws {
        try await withTestPostgres { pool, _ in
            let logger = Logger(label: "test.tools")
            try await Migrator(pool: pool, logger: logger).migrate()
            let repositories = Repositories(pool: pool)
            let vault = Vault(masterKey: try MasterKey.generate().key, repositories: repositories, logger: logger)
            try await body(Fixture(repositories: repositories, tools: TenantToolRepository(pool: pool), vault: vault))
        }
    }

    func tenant(_ fixture: Fixture, tier: Tier) async throws -> TenantID {
        try await fixture.repositories.tenants.create(name: "Shop \(tier)", tier: tier, actor: "test").id
    }

    @discardableResult
    func addTool(
        _ fixture: Fixture, tenant: TenantID, name: String, url: String, secret: String, maximum: Int = 16
    ) async throws -> TenantTool {
        let id = UUID()
        let sealed = try await fixture.vault.seal(
            Secret(secret), tenantID: tenant, integrationID: IntegrationID(id), field: TenantTool.secretField)
        return try await fixture.tools.create(
            NewTenantTool(
                id: id, tenantID: tenant, name: name, description: "Looks up an order", parametersJSON: Self.schema,
                endpointURL: url, sealedSecret: sealed, timeoutMilliseconds: 2000),
            actor: "test", maximumPerTenant: maximum)
    }

    @Test("repository: unique per tenant, capped, tenant-scoped, audited without secrets")
    func repository() async throws {
        try await withStore { fixture in
            let first = try await tenant(fixture, tier: .enterprise)
            let second = try await tenant(fixture, tier: .enterprise)
            try await addTool(
                fixture, tenant: first, name: "lookup_order", url: "https://t.example.com/a", secret: "s1")
            let duplicate = await #expect(throws: StoreError.self) {
                try await addTool(
                    fixture, tenant: first, name: "lookup_order", url: "https://t.example.com/b", secret: "s")
            }
            #expect(duplicate?.code == .conflict)
            try await addTool(
                fixture, tenant: second, name: "lookup_order", url: "https://t.example.com/c", secret: "s2")
            try await addTool(fixture, tenant: first, name: "second_tool", url: "https://t.example.com/d", secret: "s3")
            let capped = await #expect(throws: StoreError.self) {
                try await addTool(
                    fixture, tenant: first, name: "third", url: "https://t.example.com/e", secret: "s", maximum: 2)
            }
            #expect(capped?.code == .conflict)
            #expect(try await fixture.tools.list(tenantID: first).map(\.name) == ["lookup_order", "second_tool"])
            #expect(try await fixture.tools.find(tenantID: second, name: "second_tool") == nil)
            await #expect(throws: StoreError.self) {
                try await fixture.tools.remove(tenantID: second, name: "second_tool", actor: "test")
            }
            try await fixture.tools.setEnabled(false, tenantID: first, name: "second_tool", actor: "test")
            #expect(try await fixture.tools.list(tenantID: first, enabledOnly: true).map(\.name) == ["lookup_order"])
            try await fixture.tools.remove(tenantID: first, name: "second_tool", actor: "test")
            let audit = try await fixture.repositories.audit.list(tenantID: first)
            #expect(Set(audit.map(\.action)).isSuperset(of: ["tool.added", "tool.disabled", "tool.removed"]))
            #expect(!audit.contains { $0.details.values.contains { $0.contains("s1") || $0.contains("s3") } })
        }
    }

    @Test("only enterprise tenants are offered their tools; names of built-ins are never shadowed")
    func tierGating() async throws {
        try await withStore { fixture in
            let http = try HTTPClient(logger: Logger(label: "test.tools"))
            let settings = CustomToolSettings()
            let catalog = CustomToolCatalog(
                repository: fixture.tools, vault: fixture.vault,
                executor: CustomToolExecutor(http: http, settings: settings, logger: Logger(label: "test.tools")),
                settings: settings, logger: Logger(label: "test.tools"))
            let conversation = UUID()
            for tier in Tier.allCases {
                let tenant = try await tenant(fixture, tier: tier)
                try await addTool(
                    fixture, tenant: tenant, name: "lookup_order", url: "https://t.example.com/", secret: "s")
                try await addTool(
                    fixture, tenant: tenant, name: "open_ticket", url: "https://t.example.com/", secret: "s")
                let offered = await catalog.tools(
                    tenantID: tenant, tier: tier, conversationID: conversation, builtInNames: ["open_ticket"])
                #expect(offered.map(\.name) == (tier == .enterprise ? ["lookup_order"] : []), "\(tier)")
            }
            await http.shutdown()
        }
    }

    @Test("a catalog tool opens its sealed secret and signs the call with the model's call id")
    func catalogCall() async throws {
        let secret = "whsec_" + String(repeating: "ab", count: 32)
        try await withStore { fixture in
            try await TestToolServer.withServer(secret: secret) { server in
                let settings = CustomToolSettings(allowsLoopback: true, caBundlePath: server.caFile)
                let logs = TestLogCapture()
                let http = try HTTPClient(configuration: settings.httpConfiguration, logger: logs.logger())
                let catalog = CustomToolCatalog(
                    repository: fixture.tools, vault: fixture.vault,
                    executor: CustomToolExecutor(http: http, settings: settings, logger: logs.logger()),
                    settings: settings, logger: logs.logger())
                let tenant = try await tenant(fixture, tier: .enterprise)
                try await addTool(
                    fixture, tenant: tenant, name: "lookup_order", url: server.url("/tool/ok"), secret: secret)
                let conversation = UUID()
                let tool = try #require(
                    await catalog.tools(tenantID: tenant, tier: .enterprise, conversationID: conversation).first)
                let result = try await AssistantTool.$currentCallID.withValue("call_xyz") {
                    try await tool.handler(["order": "A-17"])
                }
                await http.shutdown()
                #expect(result == "order A-17 ships tomorrow")
                let received = try #require(try await server.received().first)
                #expect(received.signatureValid)
                let body = try JSONValue.parse(received.body)
                #expect(body["call_id"]?.stringValue == "call_xyz")
                #expect(body["tenant_id"]?.stringValue == "\(tenant)")
                #expect(body["conversation_id"]?.stringValue == conversation.uuidString.lowercased())
                #expect(!logs.text.contains(secret))
            }
        }
    }

    @Test("data-key rotation: the resealer moves tool secrets to the active key; they still open to the same secret")
    func resealAfterRotation() async throws {
        try await withStore { fixture in
            let tenant = try await tenant(fixture, tier: .enterprise)
            let tool = try await addTool(
                fixture, tenant: tenant, name: "lookup_order", url: "https://t.example.com/", secret: "s-42")
            let report = try await fixture.vault.rotateDataKeys()
            #expect(report.activeKeyID != tool.sealedSecret.keyID)
            let resealer = ToolSecretResealer(
                tools: fixture.tools, keys: fixture.repositories.keys, vault: fixture.vault,
                logger: Logger(label: "test.tools"))
            #expect(try await resealer.resealAll() == 1)
            let moved = try #require(try await fixture.tools.find(tenantID: tenant, name: "lookup_order"))
            #expect(moved.sealedSecret.keyID == report.activeKeyID)
            let opened = try await fixture.vault.open(
                moved.sealedSecret, tenantID: tenant, integrationID: IntegrationID(moved.id),
                field: TenantTool.secretField)
            #expect(opened.revealed() == "s-42")
            #expect(try await resealer.resealAll() == 0)
        }
    }
}
