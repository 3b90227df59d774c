import Foundation
import Meta
import Redis
import Store
import TestSupport
import Testing

@testable import Messaging

/// The delivery lookup's edges: a message dated before the claim, and webchat (its own stream, no Graph API).
@Suite struct MessagingReconcileEdgeTests {
    @Test("a message with the part's text dated before the claim is not its delivery: the part is sent")
    func olderCopyIgnored() async throws {
        let settings = MessagingSettings(inFlightWindowSeconds: 0, lookupClockSkewSeconds: 0)
        try await withMessagingHarness(settings: settings) { harness in
            let tenant = try await harness.makeTenant("Copycat Shop")
            // The same words reached the customer before this reply was claimed (a person typed them).
            _ = try await harness.dependencies.graph.sendText(
                "Sandbox AI: you said \"hello\"", to: "c1",
                from: GraphAccount(platform: .instagram, id: tenant.accountID),
                token: "sandbox-token-\(tenant.accountID)")
            // The run's send is refused (nothing delivered); its row is then left as a killed run leaves it.
            try await harness.sandbox.setFaults(#"{"graph":[{"route":"send","status":500,"times":1}]}"#)
            let event = MessagingHarness.message(to: tenant, from: "c1", text: "hello")
            await #expect(throws: MessagingError.self) { _ = try await harness.process(event) }
            try await harness.markRepliesPending()
            #expect(try await harness.process(event, attempt: 2) == .resentAfterLookup(parts: 1))
            let sent = try await harness.sandbox.sent()
            #expect(sent.count == 2 && sent[0].text == sent[1].text)
            let reply = try #require(try await harness.messages(of: tenant).first { $0.direction == .outbound })
            #expect(reply.sendState == .sent && reply.mid == sent.last?.message_id)
        }
    }

    @Test("webchat: a part found in the visitor's stream is resolved; a part missing from it is published once")
    func webchat() async throws {
        try await withMessagingHarness(settings: MessagingSettings(inFlightWindowSeconds: 0)) { harness in
            let tenant = try await harness.repositories.tenants.create(
                name: "Chat Shop", tier: .professional,
                persona: Store.Persona(name: "Chat Shop", instructions: "Be kind.", settings: [:]), actor: "test")
            _ = try await harness.repositories.integrations.connect(
                tenantID: tenant.id, platform: .webchat, accountID: WebchatInbound.accountID(tenantID: tenant.id),
                accountName: "Website chat", actor: "test")
            let visitor = TestEnvironment.uniqueName("visitor")
            let channel = WebchatChannel(redis: harness.redis)
            let key = channel.conversationKey(tenantID: tenant.id.description, visitorID: visitor)
            do {
                try await webchatRuns(harness: harness, tenant: tenant.id, visitor: visitor, channel: channel, key: key)
            } catch {
                _ = try? await harness.redis.send("DEL", key)
                throw error
            }
            _ = try await harness.redis.send("DEL", key)
        }
    }

    private func webchatRuns(
        harness: MessagingHarness, tenant: TenantID, visitor: String, channel: WebchatChannel, key: String
    ) async throws {
        let event = WebchatInbound.event(
            text: "hello", tenantID: tenant, visitorID: visitor, messageID: WebchatInbound.newMessageID())
        #expect(try await harness.process(event) == .replied(.answered, parts: 1))
        func assistantEvents() async throws -> [WebchatEvent] {
            try await channel.events(tenantID: tenant.description, visitorID: visitor, after: nil)
                .filter { $0.role == .assistant }
        }
        let published = try #require(try await assistantEvents().first)
        try await harness.markRepliesPending()
        #expect(try await harness.process(event, attempt: 2) == .resolvedByLookup(parts: 1))
        #expect(try await assistantEvents().count == 1)
        let conversation = try #require(
            try await harness.repositories.conversations.listRecent(tenantID: tenant).first)
        let history = try await harness.repositories.messages.history(
            tenantID: tenant, conversationID: conversation.id, limit: 10)
        let stored = try #require(history.first { $0.direction == .outbound })
        #expect(stored.sendState == .sent && stored.mid == "webchat:\(published.id)")
        // The publish never happened: the part is published now, once.
        _ = try await harness.redis.send("DEL", key)
        try await harness.markRepliesPending()
        #expect(try await harness.process(event, attempt: 3) == .resentAfterLookup(parts: 1))
        #expect(try await harness.process(event, attempt: 4) == .alreadyReplied)
        #expect(try await assistantEvents().map(\.messageID) == [published.messageID])
    }
}
