import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import TestSupport
import Testing
import Web

@Suite struct TenantIsolationTests {
    @Test("tenant A's session cannot read, switch, answer or stream tenant B's conversation, nor see B's data")
    func isolation() async throws {
        try await withTenantHarness(liveStreamLifetime: .milliseconds(300)) { harness in
            let a = try await harness.makeTenant("Alpha Shop")
            let b = try await harness.makeTenant("Bravo Shop")
            try await Application(router: harness.router()).test(.router) { client in
                var browser = TenantPageClient()
                try await browser.logIn(client, email: a.user.email, password: a.password)
                let foreign = b.conversationID.uuidString.lowercased()
                #expect(try await browser.get(client, "/tenant/inbox/\(foreign)").status == .notFound)
                #expect(try await browser.get(client, "/tenant/inbox/\(foreign)/messages").status == .notFound)
                #expect(try await browser.get(client, "/tenant/events?conversation=\(foreign)").status == .notFound)
                #expect(try await browser.post(client, "/tenant/inbox/\(foreign)/takeover", []).status == .notFound)
                #expect(try await browser.post(client, "/tenant/inbox/\(foreign)/handback", []).status == .notFound)
                let reply = try await browser.post(client, "/tenant/inbox/\(foreign)/reply", [("text", "hi")])
                #expect(reply.status == .notFound)
                let bConversation = try await harness.repositories.conversations.find(
                    tenantID: b.tenant.id, conversationID: b.conversationID)
                #expect(bConversation?.isTakenOver == false)
                #expect(try await harness.sent(to: b.customerID).isEmpty)

                let inbox = TenantPageClient.text(try await browser.get(client, "/tenant/inbox"))
                #expect(inbox.contains("Alpha Shop-customer"))
                #expect(!inbox.contains("Bravo Shop-customer"))
                #expect(!inbox.contains(foreign))
                let overview = TenantPageClient.text(try await browser.get(client, "/tenant"))
                #expect(overview.contains("Alpha Shop") && !overview.contains("Bravo Shop"))
                let own = TenantPageClient.text(
                    try await browser.get(client, "/tenant/inbox/\(a.conversationID.uuidString.lowercased())"))
                #expect(own.contains("Hello from Alpha Shop&#39;s customer"))

                // The live stream of the whole inbox is A's only: B's change is not an event for A.
                let stream = try await browser.get(client, "/tenant/events")
                #expect(stream.status == .ok)
                #expect(stream.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            }
        }
    }

    @Test("persona and password changes apply to the session's tenant only; billing CSV has only its own row")
    func personaAndBillingScoped() async throws {
        try await withTenantHarness { harness in
            let a = try await harness.makeTenant("Charlie Shop")
            let b = try await harness.makeTenant("Delta Shop")
            try await harness.backdate(a.tenant.id, days: 70)
            try await harness.backdate(b.tenant.id, days: 70)
            try await Application(router: harness.router()).test(.router) { client in
                var browser = TenantPageClient()
                try await browser.logIn(client, email: a.user.email, password: a.password)
                let saved = try await browser.post(
                    client, "/tenant/persona",
                    [
                        ("persona_name", "Charlie Bot"), ("persona_instructions", "Be brief."),
                        ("tenant", "\(b.tenant.id)"),
                    ])
                #expect(saved.status == .seeOther)
                #expect(try await harness.repositories.tenants.find(a.tenant.id)?.persona.name == "Charlie Bot")
                #expect(try await harness.repositories.tenants.find(b.tenant.id)?.persona.name == nil)

                let page = TenantPageClient.text(try await browser.get(client, "/tenant"))
                let start = try #require(page.range(of: "/tenant/billing/"))
                let period = String(page[start.upperBound...].prefix(7))
                let csv = try await browser.get(client, "/tenant/billing/\(period)")
                #expect(csv.status == .ok)
                let text = TenantPageClient.text(csv)
                #expect(text.contains(a.tenant.id.description) && text.contains("Charlie Shop"))
                #expect(!text.contains(b.tenant.id.description) && !text.contains("Delta Shop"))
                #expect(try await browser.get(client, "/tenant/billing/2999-01").status == .notFound)
            }
        }
    }
}
