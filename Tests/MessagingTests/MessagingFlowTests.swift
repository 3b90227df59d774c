import Billing
import Foundation
import Meta
import Store
import TestSupport
import Testing

@testable import Messaging

@Suite struct MessagingFlowTests {
    @Test("two tenants, interleaved: each reply uses its own persona and token, stored under its tenant only")
    func tenantRouting() async throws {
        try await withMessagingHarness { harness in
            let alpha = try await harness.makeTenant("Alpha Bikes")
            let beta = try await harness.makeTenant("Beta Books", tier: .starter)
            let texts = [
                (alpha, "a1", "hello alpha 1"), (beta, "b1", "hello beta 1"), (alpha, "a2", "hello alpha 2"),
                (beta, "b2", "hello beta 2"),
            ]
            for (tenant, customer, text) in texts {
                let outcome = try await harness.process(
                    MessagingHarness.message(to: tenant, from: customer, text: text))
                #expect(outcome == .replied(.answered, parts: 1))
            }
            let sent = try await harness.sandbox.sent()
            #expect(sent.count == 4)
            for (tenant, customer, text) in texts {
                let record = try #require(sent.first { $0.text?.contains(text) ?? false })
                #expect(record.account == tenant.accountID)
                #expect(record.token_user_id == tenant.accountID)
                #expect(record.recipient == customer)
            }
            let calls = try await harness.sandbox.llmCalls()
            for (tenant, _, text) in texts {
                let call = try #require(calls.first { $0.last_user == text })
                #expect(call.system?.contains(tenant.businessName) ?? false)
                let other = tenant.businessName == alpha.businessName ? beta : alpha
                #expect(!(call.system?.contains(other.businessName) ?? true))
            }
            #expect(calls.first { $0.last_user == "hello beta 1" }?.tools == ["search_products"])
            #expect(calls.first { $0.last_user == "hello alpha 1" }?.tools.contains("handover_to_human") ?? false)
            for tenant in [alpha, beta] {
                let stored = try await harness.messages(of: tenant)
                let bodies = stored.compactMap(\.body).joined(separator: "|")
                let own = tenant.businessName == alpha.businessName ? "alpha" : "beta"
                let foreign = own == "alpha" ? "beta" : "alpha"
                #expect(stored.count == 4)
                #expect(bodies.contains("hello \(own) 1") && !bodies.contains("hello \(foreign)"))
                #expect(stored.filter(\.isAI).allSatisfy { $0.sendState == .sent && $0.mid != nil })
            }
        }
    }

    @Test("the same delivery processed twice gets one reply")
    func duplicateDelivery() async throws {
        try await withMessagingHarness { harness in
            let tenant = try await harness.makeTenant("Dup Shop")
            let event = MessagingHarness.message(to: tenant, from: "c1", text: "are you open?")
            #expect(try await harness.process(event) == .replied(.answered, parts: 1))
            #expect(try await harness.process(event) == .alreadyReplied)
            #expect(try await harness.sandbox.sent().count == 1)
            #expect(try await harness.sandbox.llmCalls().count == 1)
            #expect(try await harness.messages(of: tenant).count == 2)
        }
    }

    @Test("our own echo is ignored; a person's echo takes the conversation over; then no AI reply")
    func echoTakeover() async throws {
        try await withMessagingHarness { harness in
            let tenant = try await harness.makeTenant("Echo Shop")
            #expect(
                try await harness.process(MessagingHarness.message(to: tenant, from: "c1", text: "hi"))
                    == .replied(.answered, parts: 1))
            let ours = try #require(try await harness.sandbox.sent().first)
            let ownEcho = MessagingHarness.echo(of: tenant, to: "c1", mid: ours.message_id, text: ours.text ?? "")
            #expect(try await harness.process(ownEcho) == .ownEcho)
            #expect(try await harness.conversations(of: tenant).first?.isTakenOver == false)

            let human = MessagingHarness.echo(of: tenant, to: "c1", mid: "human-mid-1", text: "Hi, Anna here!")
            #expect(try await harness.process(human) == .humanTookOver)
            let conversation = try #require(try await harness.conversations(of: tenant).first)
            #expect(conversation.isTakenOver && conversation.takenOverBy == "instagram_app")

            let next = MessagingHarness.message(to: tenant, from: "c1", text: "thanks Anna")
            #expect(try await harness.process(next) == .notAnswered(.takenOver))
            #expect(try await harness.sandbox.sent().count == 1)
            let stored = try await harness.messages(of: tenant)
            #expect(stored.contains { $0.body == "thanks Anna" && $0.direction == .inbound })
            #expect(stored.contains { $0.mid == "human-mid-1" && $0.direction == .outbound && !$0.isAI })
        }
    }

    @Test("an unsent message is marked deleted and never answered")
    func deletion() async throws {
        try await withMessagingHarness { harness in
            let tenant = try await harness.makeTenant("Delete Shop")
            let original = MessagingHarness.message(to: tenant, from: "c1", text: "oops")
            #expect(try await harness.process(original) == .replied(.answered, parts: 1))
            var deletion = MessagingHarness.message(to: tenant, from: "c1", text: "", mid: original.mid ?? "")
            deletion.id = "deleted:\(original.mid ?? "")"
            deletion.text = nil
            deletion.isDeleted = true
            #expect(try await harness.process(deletion) == .deleted)
            let stored = try #require(try await harness.messages(of: tenant).first { $0.mid == original.mid })
            #expect(stored.isDeleted && stored.body == nil)
            #expect(try await harness.sandbox.sent().count == 1)
        }
    }

    @Test("a starter tenant over its limit: the message is stored, not answered, the LLM never asked")
    func overLimit() async throws {
        try await withMessagingHarness { harness in
            let tenant = try await harness.makeTenant("Busy Shop", tier: .starter)
            try await harness.meter.restore(
                tenantID: tenant.id.description, period: .init(containing: Date()), answered: 1_000)
            let event = MessagingHarness.message(to: tenant, from: "c1", text: "anyone there?")
            #expect(try await harness.process(event) == .notAnswered(.overLimit))
            #expect(try await harness.messages(of: tenant).map(\.body) == ["anyone there?"])
            #expect(try await harness.sandbox.sent().isEmpty)
            #expect(try await harness.sandbox.llmCalls().isEmpty)
        }
    }

    @Test("the assistant hands over by itself (professional): taken over, a short note sent, then silence")
    func assistantHandover() async throws {
        try await withMessagingHarness { harness in
            let tenant = try await harness.makeTenant("Care Shop", tier: .professional)
            let event = MessagingHarness.message(to: tenant, from: "c1", text: "please let me talk to a human")
            #expect(try await harness.process(event) == .replied(.handover, parts: 1))
            #expect(try await harness.sandbox.llmCalls().first?.tool_called == "handover_to_human")
            #expect(try await harness.sandbox.sent().first?.text == MessagingSettings().handoverReply)
            #expect(try await harness.conversations(of: tenant).first?.takenOverBy == "assistant")
            let next = MessagingHarness.message(to: tenant, from: "c1", text: "hello?")
            #expect(try await harness.process(next) == .notAnswered(.takenOver))
            #expect(try await harness.sandbox.sent().count == 1)
        }
    }

    @Test("a starter customer asking for a person is handed over without asking the LLM")
    func starterHumanRequest() async throws {
        try await withMessagingHarness { harness in
            let tenant = try await harness.makeTenant("Small Shop", tier: .starter)
            let event = MessagingHarness.message(to: tenant, from: "c1", text: "Can I talk to a real person?")
            #expect(try await harness.process(event) == .replied(.handover, parts: 1))
            #expect(try await harness.sandbox.llmCalls().isEmpty)
            #expect(try await harness.conversations(of: tenant).first?.takenOverBy == "customer_request")
        }
    }

    @Test("an event for an unknown account is audited and dropped without error")
    func unknownAccount() async throws {
        try await withMessagingHarness { harness in
            let ghost = MessagingHarness.Tenant(
                id: .random(), integrationID: .random(), accountID: "nobody", businessName: "ghost")
            let outcome = try await harness.process(MessagingHarness.message(to: ghost, from: "c1", text: "hi"))
            #expect(outcome == .notAnswered(.unknownAccount))
            let audit = try await harness.repositories.audit.listSystemEvents(actionPrefix: "message.unknown_account")
            #expect(audit.count == 1)
            #expect(try await harness.sandbox.sent().isEmpty)
        }
    }

    @Test("product search is offered and answered from the tenant's catalogue")
    func productSearch() async throws {
        try await withMessagingHarness { harness in
            let tenant = try await harness.makeTenant(
                "Mug Shop", tier: .starter, settings: ["product.blue mug": "12 EUR, in stock"])
            let event = MessagingHarness.message(to: tenant, from: "c1", text: "What is the price of blue mug?")
            #expect(try await harness.process(event) == .replied(.answered, parts: 1))
            #expect(try await harness.sandbox.sent().first?.text?.contains("12 EUR") ?? false)
        }
    }

    @Test("product search finds a product whose name the customer's longer phrase contains, not an unrelated one")
    func productSearchByPhrase() async throws {
        try await withMessagingHarness { harness in
            let tenant = try await harness.makeTenant(
                "Bean Shop", tier: .starter,
                settings: ["product.Ethiopia Yirgacheffe": "250 g, 14.50 EUR", "product.Kenya AA": "250 g, 15 EUR"])
            let event = MessagingHarness.message(
                to: tenant, from: "c1", text: "What is the price of the Ethiopia Yirgacheffe beans?")
            #expect(try await harness.process(event) == .replied(.answered, parts: 1))
            let reply = try await harness.sandbox.sent().first?.text ?? ""
            #expect(reply.contains("14.50 EUR") && !reply.contains("15 EUR"), "reply: \(reply)")
        }
    }
}
