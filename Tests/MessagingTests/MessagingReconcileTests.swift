import Foundation
import Meta
import MetricsTestKit
import Postgres
import Store
import TestSupport
import Testing

@testable import Messaging

/// Re-runs that find reply parts an earlier run left `pending` after the in-flight window: the delivery lookup
/// through the sandbox's Conversations API decides between "delivered" and "send now".
@Suite struct MessagingReconcileTests {
    static let afterWindow = MessagingSettings(inFlightWindowSeconds: 0)

    @Test("killed between claim and send: the re-run sends exactly once, the row ends sent, a third run sends nothing")
    func killedBeforeSend() async throws {
        let testMetrics = TestMetrics()
        try await withMessagingHarness(settings: Self.afterWindow, metrics: MessagingMetrics(factory: testMetrics)) {
            harness in
            let tenant = try await harness.makeTenant("Killed Shop")
            let event = MessagingHarness.message(to: tenant, from: "c1", text: "hello")
            #expect(try await harness.process(event) == .replied(.answered, parts: 1))
            // What the chaos run left: the claim is recorded, Meta never got the send.
            try await harness.sandbox.reset()
            try await harness.markRepliesPending()
            #expect(try await harness.process(event, attempt: 2) == .resentAfterLookup(parts: 1))
            let sent = try await harness.sandbox.sent()
            #expect(sent.count == 1)
            let reply = try #require(try await harness.messages(of: tenant).first { $0.direction == .outbound })
            #expect(reply.sendState == .sent && reply.mid == sent.first?.message_id)
            #expect(try await harness.process(event, attempt: 3) == .alreadyReplied)
            #expect(try await harness.sandbox.sent().count == 1)
        }
        let resent = try testMetrics.expectCounter(
            "woodstock.messaging.reconciled", [("platform", "instagram"), ("outcome", "resent_after_lookup")])
        #expect(resent.totalValue == 1)
        let resolved = try testMetrics.expectCounter(
            "woodstock.messaging.reconciled", [("platform", "instagram"), ("outcome", "resolved_by_lookup")])
        #expect(resolved.totalValue == 0)
    }

    @Test(
        "lookup rate-limited or failing: retryable with Meta's retry advice, nothing sent; a later run resolves it",
        arguments: [
            (#"{"graph":[{"route":"conversations","code":613,"times":1}]}"#, Duration?.none),
            (#"{"graph":[{"route":"conversations","code":4,"retry_after":9,"times":1}]}"#, Duration.seconds(9)),
            (#"{"graph":[{"route":"conversations","status":500,"times":1}]}"#, Duration?.none),
        ])
    func lookupRetryable(_ faults: String, _ retryAfter: Duration?) async throws {
        try await withMessagingHarness(settings: Self.afterWindow) { harness in
            let tenant = try await harness.makeTenant("Throttled Lookup Shop")
            let event = MessagingHarness.message(to: tenant, from: "c1", text: "hello")
            #expect(try await harness.process(event) == .replied(.answered, parts: 1))
            try await harness.sandbox.reset()
            try await harness.markRepliesPending()
            try await harness.sandbox.setFaults(faults)
            await #expect {
                _ = try await harness.process(event, attempt: 2)
            } throws: { error in
                let error = error as? MessagingError
                return error?.code == .retryableSendFailure && error?.retryAfter == retryAfter
            }
            #expect(try await harness.sandbox.sent().isEmpty)
            let pending = try #require(try await harness.messages(of: tenant).first { $0.direction == .outbound })
            #expect(pending.sendState == .pending && pending.mid == nil)
            #expect(try await harness.process(event, attempt: 3) == .resentAfterLookup(parts: 1))
            #expect(try await harness.sandbox.sent().count == 1)
        }
    }

    @Test("lookup refused with 190: the integration needs re-authorisation, nothing sent")
    func lookupTokenInvalid() async throws {
        try await withMessagingHarness(settings: Self.afterWindow) { harness in
            let tenant = try await harness.makeTenant("Revoked Lookup Shop")
            let event = MessagingHarness.message(to: tenant, from: "c1", text: "hello")
            #expect(try await harness.process(event) == .replied(.answered, parts: 1))
            try await harness.sandbox.reset()
            try await harness.markRepliesPending()
            try await harness.sandbox.setFaults(#"{"graph":[{"route":"conversations","code":190,"subcode":460}]}"#)
            #expect(try await harness.process(event, attempt: 2) == .sendFailed(.tokenInvalid))
            let integration = try await harness.repositories.integrations.find(
                tenantID: tenant.id, integrationID: tenant.integrationID)
            #expect(integration?.status == .needsReauth)
            #expect(try await harness.sandbox.sent().isEmpty)
        }
    }

    @Test("lookup not permitted (no Advanced Access): the reply stays in doubt and is not resent")
    func lookupNotPermitted() async throws {
        try await withMessagingHarness(settings: Self.afterWindow) { harness in
            let tenant = try await harness.makeTenant("Standard Access Shop")
            let event = MessagingHarness.message(to: tenant, from: "c1", text: "hello")
            #expect(try await harness.process(event) == .replied(.answered, parts: 1))
            try await harness.sandbox.reset()
            try await harness.markRepliesPending()
            try await harness.sandbox.setFaults(#"{"graph":[{"route":"conversations","code":10}]}"#)
            #expect(try await harness.process(event, attempt: 2) == .sendInDoubt)
            #expect(try await harness.sandbox.sent().isEmpty)
        }
    }

    @Test("killed after the first part of a long reply: that part is resolved by the lookup, the others are sent")
    func killedMidReply() async throws {
        try await withMessagingHarness(settings: Self.afterWindow) { harness in
            let tenant = try await harness.makeTenant("Long Reply Shop")
            let event = MessagingHarness.message(to: tenant, from: "c1", text: "a long answer please")
            _ = try await harness.process(event)
            let parts = try await harness.sandbox.sent()
            try #require(parts.count >= 2)
            #expect(try await harness.process(event, attempt: 2) == .alreadyReplied)
            // Meta got only part 0 before the worker died.
            try await harness.sandbox.reset()
            let delivered = try await harness.dependencies.graph.sendText(
                parts[0].text ?? "", to: "c1", from: GraphAccount(platform: .instagram, id: tenant.accountID),
                token: "sandbox-token-\(tenant.accountID)")
            try await harness.markRepliesPending()
            #expect(try await harness.process(event, attempt: 3) == .resentAfterLookup(parts: parts.count - 1))
            let sent = try await harness.sandbox.sent()
            #expect(sent.map(\.text) == parts.map(\.text))
            let rows = try await harness.messages(of: tenant).filter { $0.direction == .outbound }
            #expect(rows.count == parts.count && rows.allSatisfy { $0.sendState == .sent })
            #expect(Set(rows.compactMap(\.mid)) == Set(sent.map(\.message_id)))
            #expect(rows.contains { $0.mid == delivered.messageID && $0.body == parts[0].text })
        }
    }

    @Test("a message with the same text recorded for another reply is not taken for this part's delivery")
    func sameTextOtherReply() async throws {
        try await withMessagingHarness(settings: Self.afterWindow) { harness in
            let tenant = try await harness.makeTenant("Repeating Shop")
            let first = MessagingHarness.message(to: tenant, from: "c1", text: "hello")
            #expect(try await harness.process(first) == .replied(.answered, parts: 1))
            let second = MessagingHarness.message(to: tenant, from: "c1", text: "hello")
            #expect(try await harness.process(second) == .replied(.answered, parts: 1))
            let replies = try await harness.messages(of: tenant).filter { $0.direction == .outbound }
            try #require(replies.count == 2)
            // Both answers have the same text; only the second one's outcome is lost, and Meta never got it.
            let sent = try await harness.sandbox.sent()
            try #require(sent.count == 2 && sent[0].text == sent[1].text)
            try await harness.pool.query(
                "UPDATE chatbot_messages SET send_state = 'pending', mid = NULL WHERE mid = \(sent[1].message_id)")
            try await harness.sandbox.reset()
            _ = try await harness.dependencies.graph.sendText(
                sent[0].text ?? "", to: "c1", from: GraphAccount(platform: .instagram, id: tenant.accountID),
                token: "sandbox-token-\(tenant.accountID)")
            // The sandbox now holds only a message whose id is not the first reply's: re-record the first reply
            // with it, so the only candidate belongs to another reply.
            let copy = try #require(try await harness.sandbox.sent().first)
            try await harness.pool.query(
                "UPDATE chatbot_messages SET mid = \(copy.message_id) WHERE mid = \(sent[0].message_id)")
            #expect(try await harness.process(second, attempt: 2) == .resentAfterLookup(parts: 1))
            #expect(try await harness.sandbox.sent().count == 2)
        }
    }
}
