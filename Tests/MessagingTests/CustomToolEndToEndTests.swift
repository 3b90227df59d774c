import Assistant
import CustomTools
import Foundation
import HTTP
import Logging
import Meta
import Store
import TestSupport
import Testing
import Vault

@testable import Messaging

/// Enterprise tenants' own tools through process-message: the sandbox model asks for the tool (`use tool …`),
/// our signed POST reaches a real local HTTPS server that checks the signature, the result goes back to the
/// model, and the reply is sent through the Graph API sandbox.
@Suite struct CustomToolEndToEndTests {
    static let secret = "whsec_" + String(repeating: "c0ffee", count: 10)

    /// A processor whose dependencies offer the tenants' tools from the harness's store, calling `server`.
    struct Setup {
        let harness: MessagingHarness
        let server: TestToolServer
        let processor: MessageProcessor
        let logs: TestLogCapture

        func addTool(to tenant: MessagingHarness.Tenant, path: String, timeoutMs: Int = 2000) async throws {
            let id = UUID()
            let sealed = try await harness.vault.seal(
                Secret(CustomToolEndToEndTests.secret), tenantID: tenant.id, integrationID: IntegrationID(id),
                field: TenantTool.secretField)
            _ = try await TenantToolRepository(pool: harness.pool).create(
                NewTenantTool(
                    id: id, tenantID: tenant.id, name: "lookup_order", description: "Looks up an order's status",
                    parametersJSON: #"{"type":"object","properties":{"order":{"type":"string"}},"required":["order"]}"#,
                    endpointURL: server.url(path), sealedSecret: sealed, timeoutMilliseconds: timeoutMs),
                actor: "test", maximumPerTenant: 16)
        }

        func process(_ event: WebhookEvent) async throws -> ProcessOutcome {
            try await processor.process(event, attempt: 1, logger: logs.logger("test.messaging"))
        }
    }

    func withSetup(_ body: (Setup) async throws -> Void) async throws {
        try await withMessagingHarness { harness in
            try await TestToolServer.withServer(secret: Self.secret) { server in
                let logs = TestLogCapture()
                let settings = CustomToolSettings(allowsLoopback: true, caBundlePath: server.caFile)
                let http = try HTTPClient(configuration: settings.httpConfiguration, logger: logs.logger("test.http"))
                let catalog = CustomToolCatalog(
                    repository: TenantToolRepository(pool: harness.pool), vault: harness.vault,
                    executor: CustomToolExecutor(http: http, settings: settings, logger: logs.logger("test.tools")),
                    settings: settings, logger: logs.logger("test.tools"))
                var dependencies = harness.dependencies
                dependencies.customTools = { tenantID, tier, conversationID, builtIns in
                    await catalog.tools(
                        tenantID: tenantID, tier: tier, conversationID: conversationID, builtInNames: builtIns)
                }
                let setup = Setup(
                    harness: harness, server: server, processor: MessageProcessor(dependencies: dependencies),
                    logs: logs)
                do {
                    try await body(setup)
                } catch {
                    await http.shutdown()
                    throw error
                }
                await http.shutdown()
            }
        }
    }

    @Test("enterprise: model calls the tenant's tool, signed POST verified by the receiver, result in the reply")
    func enterpriseToolCall() async throws {
        try await withSetup { setup in
            let tenant = try await setup.harness.makeTenant("Tool Shop", tier: .enterprise)
            try await setup.addTool(to: tenant, path: "/tool/ok")
            let event = MessagingHarness.message(
                to: tenant, from: "customer-1", text: #"where is my order? use tool lookup_order {"order":"A-17"}"#)
            let outcome = try await setup.process(event)
            #expect(outcome == .replied(.answered, parts: 1))

            let received = try await setup.server.received()
            #expect(received.count == 1)
            let call = try #require(received.first)
            #expect(call.signatureValid)
            let body = try JSONValue.parse(call.body)
            #expect(body["tool"]?.stringValue == "lookup_order")
            #expect(body["arguments"] == ["order": "A-17"])
            #expect(body["tenant_id"]?.stringValue == "\(tenant.id)")
            let conversation = try #require(try await setup.harness.conversations(of: tenant).first)
            #expect(body["conversation_id"]?.stringValue == conversation.id.uuidString.lowercased())
            #expect(body["call_id"]?.stringValue?.hasPrefix("call_") == true)

            let llm = try await setup.harness.sandbox.llmCalls()
            #expect(llm.first?.tools.contains("lookup_order") == true)
            #expect(llm.first?.tool_called == "lookup_order")
            let sent = try await setup.harness.sandbox.sent()
            #expect(sent.count == 1)
            #expect(sent.first?.text?.contains("order A-17 ships tomorrow") == true)
            #expect(!setup.logs.text.contains(Self.secret))
            let sentText = try #require(sent.first?.text)
            #expect(!sentText.contains(Self.secret))
        }
    }

    @Test(
        "starter and professional tenants never see their tools; nothing is called",
        arguments: [Tier.starter, .professional])
    func notOfferedBelowEnterprise(_ tier: Tier) async throws {
        try await withSetup { setup in
            let tenant = try await setup.harness.makeTenant("Small Shop", tier: tier)
            try await setup.addTool(to: tenant, path: "/tool/ok")
            let outcome = try await setup.process(
                MessagingHarness.message(to: tenant, from: "customer-2", text: "use tool lookup_order please"))
            #expect(outcome == .replied(.answered, parts: 1))
            let llm = try await setup.harness.sandbox.llmCalls()
            #expect(!llm.isEmpty)
            #expect(!llm.contains { $0.tools.contains("lookup_order") })
            let received = try await setup.server.received()
            #expect(received.isEmpty)
            let sent = try await setup.harness.sandbox.sent()
            #expect(sent.first?.text?.contains("you said") == true)
        }
    }

    @Test(
        "a failing tool (timeout, 5xx, oversized, not JSON) gives the model an error result; the reply is still sent",
        arguments: [
            ("/tool/slow?ms=3000", "timeout"), ("/tool/status/502", "HTTP 502"),
            ("/tool/big?bytes=200000", "responseTooLarge"),
            ("/tool/notjson", "invalidResponse"),
        ])
    func failingTool(_ path: String, _ expected: String) async throws {
        try await withSetup { setup in
            let tenant = try await setup.harness.makeTenant("Flaky Shop", tier: .enterprise)
            try await setup.addTool(to: tenant, path: path, timeoutMs: 500)
            let outcome = try await setup.process(
                MessagingHarness.message(
                    to: tenant, from: "customer-3", text: #"use tool lookup_order {"order":"B-2"}"#))
            #expect(outcome == .replied(.answered, parts: 1))
            let received = try await setup.server.received()
            #expect(received.count == 1)
            let text = try #require(try await setup.harness.sandbox.sent().first?.text)
            #expect(text.contains("error:"))
            #expect(text.contains(expected))
            #expect(!text.contains("127.0.0.1") && !text.contains(Self.secret))
            #expect(!setup.logs.text.contains(Self.secret))
        }
    }
}
