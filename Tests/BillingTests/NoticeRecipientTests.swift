import Foundation
import HTTP
import Store
import Testing

@testable import Billing

/// Who a notice is mailed to: the tenant's `email` column, an optional operator copy, the opt-out, and the
/// `contact_email` persona setting of tenants from before the column.
@Suite struct NoticeRecipientTests {
    static func mailer(_ world: BillingWorld, _ http: HTTPClient, sink: SMTPSink, operatorCopy: String?)
        -> NoticeMailer
    {
        NoticeMailer(
            configuration: .init(
                smtp: SMTPConfiguration(url: "smtp://127.0.0.1:\(sink.port)", security: .none),
                from: "relay@woodstock.test", operatorCopy: operatorCopy),
            http: http, repositories: world.repositories, pool: world.pool, logger: world.logger)
    }

    /// Waits until the sink holds `count` messages (the SMTP server writes them after the transaction).
    static func messages(_ sink: SMTPSink, count: Int) async throws -> [String] {
        let deadline = ContinuousClock.now + .seconds(10)
        while sink.messages().count < count && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        return sink.messages()
    }

    static func recipients(_ message: String) -> String {
        message.split(separator: "\n").first { $0.hasPrefix("To:") }.map(String.init) ?? ""
    }

    @Test("the notice goes to the tenant's e-mail once, plus one operator copy; a re-run sends nothing")
    func tenantAndOperator() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        try await BillingWorld.with { world in
            let http = try HTTPClient(logger: world.logger)
            let mailer = Self.mailer(world, http, sink: sink, operatorCopy: "ops@relay.test")
            let raiser = NoticeRaiser(repositories: world.repositories, jobs: world.jobs)
            let tenant = try await world.tenant(.starter, name: "Mail Shop", email: "owner@mail-shop.test")
            #expect(tenant.email == "owner@mail-shop.test" && tenant.noticeEmailEnabled)
            #expect(try await raiser.raise(.usage80, tenantID: tenant.id, period: "2026-11"))
            #expect(try await !raiser.raise(.usage80, tenantID: tenant.id, period: "2026-11"))
            #expect(try await mailer.send(tenantID: tenant.id, kind: .usage80, period: "2026-11") == .sent)
            #expect(try await mailer.send(tenantID: tenant.id, kind: .usage80, period: "2026-11") == .alreadySent)
            let messages = try await Self.messages(sink, count: 2)
            #expect(messages.count == 2)
            let toTenant = messages.filter { Self.recipients($0).contains("owner@mail-shop.test") }
            let toOperator = messages.filter { Self.recipients($0).contains("ops@relay.test") }
            #expect(toTenant.count == 1 && toOperator.count == 1)
            #expect(toTenant.allSatisfy { !$0.contains("ops@relay.test") && $0.contains("80 %") })
            #expect(toOperator.allSatisfy { $0.contains("Mail Shop") && $0.contains("\(tenant.id)") })
            await http.shutdown()
        }
    }

    @Test("opted out or no address: shown on the page, only the operator copy is mailed; legacy setting used")
    func optOutAndLegacy() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        try await BillingWorld.with { world in
            let http = try HTTPClient(logger: world.logger)
            let mailer = Self.mailer(world, http, sink: sink, operatorCopy: nil)
            let tenants = world.repositories.tenants
            let quiet = try await world.tenant(.starter, name: "Quiet Shop", email: "quiet@shop.test")
            let optedOut = try await tenants.setEmail(
                "quiet@shop.test", noticesEnabled: false, tenantID: quiet.id, actor: "test")
            #expect(optedOut.noticeEmailEnabled == false && optedOut.noticeRecipient == nil)
            let legacy = try await tenants.create(
                name: "Old Shop", persona: Persona(settings: ["contact_email": "old@shop.test"]), actor: "test")
            let none = try await world.tenant(.starter, name: "No Mail Shop")
            for tenant in [quiet, legacy, none] {
                _ = try await world.repositories.notices.recordOnce(
                    kind: NoticeKind.usage100.rawValue, period: "2026-11", tenantID: tenant.id)
            }
            #expect(try await mailer.send(tenantID: quiet.id, kind: .usage100, period: "2026-11") == .notMailed)
            #expect(try await mailer.send(tenantID: none.id, kind: .usage100, period: "2026-11") == .notMailed)
            #expect(try await mailer.send(tenantID: legacy.id, kind: .usage100, period: "2026-11") == .sent)
            let messages = try await Self.messages(sink, count: 1)
            #expect(messages.count == 1)
            #expect(messages.allSatisfy { Self.recipients($0).contains("old@shop.test") })
            // Every notice is marked sent (shown on the page either way), so nothing is mailed later.
            #expect(try await mailer.send(tenantID: quiet.id, kind: .usage100, period: "2026-11") == .alreadySent)
            await http.shutdown()
        }
    }

    @Test("set-email validates, clears, and audits without copying the address")
    func setEmail() async throws {
        try await BillingWorld.with { world in
            let tenants = world.repositories.tenants
            let tenant = try await world.tenant(.professional, name: "Edit Shop")
            #expect(tenant.email == nil)
            for bad in ["", "no-at-sign", "a@b@c", "two words@shop.test", "x@y.test\r\nBcc: z@evil.test", "a@b,c@d"] {
                await #expect(throws: StoreError.self) {
                    try await tenants.setEmail(bad, tenantID: tenant.id, actor: "test")
                }
            }
            let set = try await tenants.setEmail(" new@edit-shop.test ", tenantID: tenant.id, actor: "test")
            #expect(set.email == "new@edit-shop.test" && set.noticeEmailEnabled)
            #expect(try await tenants.find(tenant.id)?.email == "new@edit-shop.test")
            let cleared = try await tenants.setEmail(nil, tenantID: tenant.id, actor: "test")
            #expect(cleared.email == nil)
            await #expect(throws: StoreError.self) {
                try await tenants.setEmail("a@b.test", tenantID: TenantID.random(), actor: "test")
            }
            let audit = try await world.repositories.audit.list(tenantID: tenant.id)
            let changes = audit.filter { $0.action == "tenant.email_changed" }
            #expect(changes.count == 2)
            #expect(changes.allSatisfy { !$0.details.values.contains { $0.contains("@") } })
            await #expect(throws: StoreError.self) {
                try await tenants.create(name: "Bad", email: "nope", actor: "test")
            }
        }
    }
}
