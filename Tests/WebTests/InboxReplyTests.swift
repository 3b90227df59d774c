import Foundation
import Hummingbird
import HummingbirdTesting
import Store
import TestSupport
import Testing
import Web

@Suite struct InboxReplyTests {
    static func by(_ fixture: TenantHarness.Fixture) -> String { fixture.user.email }

    @Test("a reply needs the conversation taken over; within 24 h it goes out untagged, stored as a human reply")
    func withinDay() async throws {
        try await withTenantHarness { harness in
            let f = try await harness.makeTenant("Echo Shop")
            let refused = try await harness.inbox.reply(
                "Hi!", tenantID: f.tenant.id, conversationID: f.conversationID, by: Self.by(f))
            #expect(refused == .refused(.init(code: "not_taken_over", message: refused.refusalMessage)))
            #expect(try await harness.sent(to: f.customerID).isEmpty)

            try await harness.inbox.takeOver(tenantID: f.tenant.id, conversationID: f.conversationID, by: Self.by(f))
            let outcome = try await harness.inbox.reply(
                "Hello, a human here.", tenantID: f.tenant.id, conversationID: f.conversationID, by: Self.by(f))
            #expect(outcome == .sent(parts: 1, isTagged: false))
            let sent = try await harness.sent(to: f.customerID)
            try #require(sent.count == 1)
            #expect(sent[0].text == "Hello, a human here.")
            #expect(sent[0].account == f.accountID)
            #expect(sent[0].tag == nil)
            #expect(sent[0].messaging_type == "RESPONSE")

            let thread = try #require(
                try await harness.inbox.thread(tenantID: f.tenant.id, conversationID: f.conversationID))
            let last = try #require(thread.messages.last)
            #expect(last.direction == .outbound && !last.isAI && last.sendState == .sent)
            #expect(last.mid == sent[0].message_id)
            let audit = try await harness.repositories.audit.list(tenantID: f.tenant.id)
            #expect(audit.contains { $0.action == "conversation.taken_over" && $0.actor == "tenant:\(f.user.email)" })
            #expect(audit.contains { $0.action == "conversation.human_reply" && $0.details["tag"] == "none" })
        }
    }

    @Test("between 24 hours and 7 days the reply carries the HUMAN_AGENT tag; after 7 days it is refused")
    func humanAgentWindow() async throws {
        try await withTenantHarness { harness in
            let f = try await harness.makeTenant("Foxtrot Shop")
            try await harness.inbox.takeOver(tenantID: f.tenant.id, conversationID: f.conversationID, by: Self.by(f))
            try await harness.setLastCustomerMessage(
                ago: 3 * 86_400, tenantID: f.tenant.id, conversationID: f.conversationID)
            let tagged = try await harness.inbox.reply(
                "Sorry for the wait.", tenantID: f.tenant.id, conversationID: f.conversationID, by: Self.by(f))
            #expect(tagged == .sent(parts: 1, isTagged: true))
            let sent = try await harness.sent(to: f.customerID)
            try #require(sent.count == 1)
            #expect(sent[0].tag == "HUMAN_AGENT")
            #expect(sent[0].messaging_type == "MESSAGE_TAG")

            try await harness.setLastCustomerMessage(
                ago: 8 * 86_400, tenantID: f.tenant.id, conversationID: f.conversationID)
            let closed = try await harness.inbox.reply(
                "Still there?", tenantID: f.tenant.id, conversationID: f.conversationID, by: Self.by(f))
            guard case .refused(let refusal) = closed else {
                Issue.record("a reply after 7 days was not refused: \(closed)")
                return
            }
            #expect(refusal.code == "window_closed")
            #expect(refusal.message.contains("more than 7 days"))
            #expect(try await harness.sent(to: f.customerID).count == 1)
            let audit = try await harness.repositories.audit.list(tenantID: f.tenant.id)
            #expect(
                audit.contains {
                    $0.action == "conversation.human_reply_refused" && $0.details["reason"] == "window_closed"
                })

            try await harness.inbox.handBack(tenantID: f.tenant.id, conversationID: f.conversationID, by: Self.by(f))
            let after = try await harness.repositories.conversations.find(
                tenantID: f.tenant.id, conversationID: f.conversationID)
            #expect(after?.isTakenOver == false)
        }
    }

    static let windows: [(TimeInterval, ReplyWindow)] = [
        (3_600, .standard), (86_400 + 60, .humanAgent), (7 * 86_400 - 60, .humanAgent), (7 * 86_400 + 60, .closed),
    ]

    @Test("the reply window by the age of the customer's last message", arguments: windows)
    func window(age: TimeInterval, expected: ReplyWindow) {
        let now = Date()
        #expect(ReplyWindow.at(lastCustomerMessage: now.addingTimeInterval(-age), now: now) == expected)
        #expect(ReplyWindow.at(lastCustomerMessage: nil, now: now) == .noCustomerMessage)
    }

    @Test("the inbox page flow: take over, reply, see it marked as a human reply, hand back; live stream sees it")
    func pageFlow() async throws {
        try await withTenantHarness(liveStreamLifetime: .seconds(2)) { harness in
            let f = try await harness.makeTenant("Golf Shop")
            try await Application(router: harness.router()).test(.router) { client in
                var browser = TenantPageClient()
                try await browser.logIn(client, email: f.user.email, password: f.password)
                let path = "/tenant/inbox/\(f.conversationID.uuidString.lowercased())"
                let before = TenantPageClient.text(try await browser.get(client, path))
                #expect(before.contains("Take over"))
                #expect(try await browser.post(client, path + "/takeover", []).status == .seeOther)
                let taken = TenantPageClient.text(try await browser.get(client, path))
                #expect(taken.contains("Hand back to the assistant"))
                let sent = try await browser.post(client, path + "/reply", [("text", "A person answers.")])
                #expect(sent.status == .seeOther)
                #expect(sent.headers[.location]?.contains("notice=Sent") == true)
                let fragment = TenantPageClient.text(try await browser.get(client, path + "/messages"))
                #expect(fragment.contains("A person answers.") && fragment.contains("human reply"))
                #expect(try await browser.post(client, path + "/handback", []).status == .seeOther)
                #expect(TenantPageClient.text(try await browser.get(client, path)).contains("Take over"))

                // Live updates: keep changing the conversation until the stream (2 s long) has reported it.
                let stream = browser
                async let events = {
                    var s = stream; return try await s.get(client, "/tenant/events?conversation=\(f.conversationID)")
                }()
                let changer = Task {
                    var on = false
                    while !Task.isCancelled {
                        on.toggle()
                        try? await harness.repositories.conversations.setTakenOver(
                            by: on ? "test" : nil, tenantID: f.tenant.id, conversationID: f.conversationID)
                        try? await Task.sleep(for: .milliseconds(150))
                    }
                }
                let response = try await events
                changer.cancel()
                _ = await changer.value
                #expect(response.status == .ok)
                #expect(TenantPageClient.text(response).contains("event: change"))
            }
        }
    }
}

extension HumanReplyOutcome {
    /// The refusal's message, or "" (lets tests compare codes without repeating sentences).
    var refusalMessage: String {
        if case .refused(let refusal) = self { return refusal.message }
        return ""
    }
}
