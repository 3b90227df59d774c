import Foundation
import Meta
import Postgres
import Store
import TestSupport
import Testing

@testable import Messaging

/// The one-statement intake and the one-statement reply claim (the hot path's round trips).
@Suite struct MessagingIntakeTests {
    private static func record(
        _ tenant: MessagingHarness.Tenant, customer: String, mid: String, text: String, at: Date = Date()
    ) -> InboundRecord {
        InboundRecord(
            platform: .instagram, accountID: tenant.accountID, customerID: customer, mid: mid, body: text,
            attachmentsJSON: Array("[]".utf8), sentAt: at)
    }

    @Test("intake: routes, creates customer and conversation, opens the window; a redelivery stores nothing new")
    func intakeIdempotent() async throws {
        try await withMessagingHarness { harness in
            let tenant = try await harness.makeTenant("Intake Shop", settings: ["tone": "dry"])
            let other = try await harness.makeTenant("Other Intake Shop")
            let intake = InboundIntakeRepository(pool: harness.pool)
            let sentAt = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 3_600).rounded())
            let keys = SendLedger.replyKeys(mid: "m-1", parts: 4)
            let first = try #require(
                try await intake.record(
                    Self.record(tenant, customer: "c-1", mid: "m-1", text: "one", at: sentAt), historyLimit: 20,
                    replyKeys: keys))
            #expect(
                first.isNew && first.route.tenantID == tenant.id && first.route.integrationID == tenant.integrationID)
            #expect(first.tenant.persona.settings["tone"] == "dry" && first.user.username == nil)
            #expect(first.conversation.lastCustomerMessageAt == sentAt && !first.conversation.isTakenOver)
            #expect(first.history.compactMap(\.body) == ["one"] && first.replyParts.isEmpty)
            #expect(first.sealedToken != nil)

            let again = try #require(
                try await intake.record(
                    Self.record(tenant, customer: "c-1", mid: "m-1", text: "one", at: sentAt), historyLimit: 20,
                    replyKeys: keys))
            #expect(!again.isNew && again.conversation.id == first.conversation.id && again.user.id == first.user.id)
            #expect(again.history.compactMap(\.body) == ["one"])

            let second = try #require(
                try await intake.record(
                    Self.record(tenant, customer: "c-1", mid: "m-2", text: "two"), historyLimit: 2,
                    replyKeys: SendLedger.replyKeys(mid: "m-2", parts: 4)))
            #expect(second.isNew && second.history.compactMap(\.body) == ["one", "two"])
            let windowed = try #require(second.conversation.lastCustomerMessageAt)
            #expect(windowed > sentAt)
            #expect(try await harness.messages(of: tenant).compactMap(\.body) == ["one", "two"])
            #expect(try await harness.messages(of: other).isEmpty)

            let unknown = InboundRecord(
                platform: .instagram, accountID: "no-such-account", customerID: "c-1", mid: "m-3", body: "x",
                attachmentsJSON: Array("[]".utf8), sentAt: Date())
            #expect(try await intake.record(unknown, historyLimit: 20, replyKeys: []) == nil)
        }
    }

    @Test("claim: parts recorded once; a re-run with a different split adds nothing; the intake sees the parts")
    func claimOnce() async throws {
        try await withMessagingHarness { harness in
            let tenant = try await harness.makeTenant("Claim Shop")
            let intake = InboundIntakeRepository(pool: harness.pool)
            let stored = try #require(
                try await intake.record(
                    Self.record(tenant, customer: "c-1", mid: "m-claim", text: "hello"), historyLimit: 20,
                    replyKeys: SendLedger.replyKeys(mid: "m-claim", parts: 4)))
            let ledger = SendLedger(pool: harness.pool)
            let claim = try await ledger.claimReply(
                tenantID: tenant.id, integrationID: tenant.integrationID, conversationID: stored.conversation.id,
                inboundMID: "m-claim", parts: ["part one", "part two"], isAI: true, lookupParts: 4)
            #expect(claim.created && claim.entries.map(\.body) == ["part one", "part two"])
            #expect(claim.entries.allSatisfy { $0.state == .pending } && claim.sealedToken != nil)

            let rerun = try await ledger.claimReply(
                tenantID: tenant.id, integrationID: tenant.integrationID, conversationID: stored.conversation.id,
                inboundMID: "m-claim", parts: ["a", "b", "c"], isAI: true, lookupParts: 4)
            #expect(!rerun.created && rerun.entries.map(\.body) == ["part one", "part two"])
            #expect(rerun.entries.map(\.id) == claim.entries.map(\.id))
            let outbound = try await harness.messages(of: tenant).filter { $0.direction == .outbound }
            #expect(outbound.count == 2)

            let redelivered = try #require(
                try await intake.record(
                    Self.record(tenant, customer: "c-1", mid: "m-claim", text: "hello"), historyLimit: 20,
                    replyKeys: SendLedger.replyKeys(mid: "m-claim", parts: 4)))
            #expect(redelivered.replyParts.map(\.sendKey) == ["reply:m-claim:0", "reply:m-claim:1"])
        }
    }

    @Test("a first-contact profile lookup runs beside the answer and stores the username")
    func profileBeside() async throws {
        try await withMessagingHarness { harness in
            let tenant = try await harness.makeTenant("Profile Shop")
            let event = MessagingHarness.message(to: tenant, from: "c-profile", text: "hi there")
            #expect(try await harness.process(event) == .replied(.answered, parts: 1))
            let conversation = try #require(try await harness.conversations(of: tenant).first)
            let user = try await harness.repositories.users.find(tenantID: tenant.id, userID: conversation.userID)
            #expect(user?.username != nil)
        }
    }
}
