import Foundation
import HTTP
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Redis
import Store
import TestSupport
import Testing

@testable import Web

@Suite struct TenantAuthTests {
    @Test("without a cookie, with a forged cookie or an expired session, tenant pages redirect to the login")
    func refusedWithoutSession() async throws {
        try await withTenantHarness { harness in
            let fixture = try await harness.makeTenant("Auth Shop")
            try await Application(router: harness.router()).test(.router) { client in
                let none = try await client.execute(uri: "/tenant/inbox", method: .get)
                #expect(none.status == .seeOther)
                #expect(none.headers[.location] == "/tenant/login?next=/tenant/inbox")

                let forged = try await client.execute(
                    uri: "/tenant", method: .get,
                    headers: [.cookie: "woodstock_tenant=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"])
                #expect(forged.status == .seeOther)

                var browser = TenantPageClient()
                try await browser.logIn(client, email: fixture.user.email, password: fixture.password)
                #expect(try await browser.get(client, "/tenant").status == .ok)
                harness.clock.advance(9 * 3_600)
                let expired = try await browser.get(client, "/tenant")
                #expect(expired.status == .seeOther)
                #expect(expired.headers[.location]?.hasPrefix("/tenant/login") == true)
            }
        }
    }

    @Test("a POST without the session's CSRF token is refused with 403 and changes nothing")
    func csrfRequired() async throws {
        try await withTenantHarness { harness in
            let fixture = try await harness.makeTenant("Csrf Shop")
            try await Application(router: harness.router()).test(.router) { client in
                var browser = TenantPageClient()
                try await browser.logIn(client, email: fixture.user.email, password: fixture.password)
                let path = "/tenant/inbox/\(fixture.conversationID.uuidString.lowercased())/takeover"
                let missing = try await browser.post(client, path, [], withCSRF: false)
                #expect(missing.status == .forbidden)
                let wrong = try await browser.post(client, path, [("_csrf", "not-the-token")], withCSRF: false)
                #expect(wrong.status == .forbidden)
                let persona = try await browser.post(
                    client, "/tenant/persona", [("persona_name", "Eve"), ("persona_instructions", "x")],
                    withCSRF: false)
                #expect(persona.status == .forbidden)
                let conversation = try await harness.repositories.conversations.find(
                    tenantID: fixture.tenant.id, conversationID: fixture.conversationID)
                #expect(conversation?.isTakenOver == false)
                #expect(try await harness.repositories.tenants.find(fixture.tenant.id)?.persona.name == nil)

                let ok = try await browser.post(client, path, [])
                #expect(ok.status == .seeOther)
                let after = try await harness.repositories.conversations.find(
                    tenantID: fixture.tenant.id, conversationID: fixture.conversationID)
                #expect(after?.isTakenOver == true)
            }
        }
    }

    @Test("a wrong password is refused; a login rotates the session id")
    func passwordLogin() async throws {
        try await withTenantHarness { harness in
            let fixture = try await harness.makeTenant("Password Shop")
            try await Application(router: harness.router()).test(.router) { client in
                var browser = TenantPageClient()
                _ = try await browser.get(client, "/tenant/login")
                let anonymous = browser.cookie
                let wrong = try await browser.post(
                    client, "/tenant/login/password", [("email", fixture.user.email), ("password", "wrong password")])
                #expect(wrong.status == .unauthorized)
                #expect(TenantPageClient.text(wrong).contains("Wrong e-mail address or password"))
                try await browser.logIn(client, email: fixture.user.email, password: fixture.password)
                #expect(browser.cookie != nil && browser.cookie != anonymous)
                let page = TenantPageClient.text(try await browser.get(client, "/tenant"))
                #expect(page.contains("Password Shop"))
                let out = try await browser.post(client, "/tenant/logout", [])
                #expect(out.status == .seeOther)
                #expect(try await browser.get(client, "/tenant").status == .seeOther)
            }
        }
    }

    @Test("a magic link arrives by SMTP, logs in once, and is refused the second time")
    func magicLink() async throws {
        try await TestSMTPSink.withSink { sink in
            let smtp = SMTPConfiguration(url: sink.url, security: .none, timeout: .seconds(10))
            try await withTenantHarness(smtp: smtp) { harness in
                let fixture = try await harness.makeTenant("Magic Shop")
                try await Application(router: harness.router()).test(.router) { client in
                    var browser = TenantPageClient()
                    _ = try await browser.get(client, "/tenant/login")
                    let unknown = try await browser.post(
                        client, "/tenant/login/magic", [("email", "nobody@example.test")])
                    #expect(unknown.status == .ok)
                    let sent = try await browser.post(client, "/tenant/login/magic", [("email", fixture.user.email)])
                    #expect(sent.status == .ok)
                    #expect(TenantPageClient.text(sent).contains("login link is on its way"))
                    let messages = try sink.messages()
                    try #require(messages.count == 1)
                    #expect(messages[0].rcpt_tos == ["<\(fixture.user.email)>"])
                    let body = messages[0].data.replacingOccurrences(of: "=\r\n", with: "")
                    let start = try #require(body.range(of: "http://relay.test/tenant/login/magic?token="))
                    let token = String(body[start.upperBound...].prefix { !$0.isWhitespace })
                    #expect(token.count == 43)

                    var other = TenantPageClient()
                    let first = try await other.get(client, "/tenant/login/magic?token=\(token)")
                    #expect(first.status == .seeOther)
                    #expect(first.headers[.location] == "/tenant")
                    #expect(try await other.get(client, "/tenant").status == .ok)

                    var third = TenantPageClient()
                    let replay = try await third.get(client, "/tenant/login/magic?token=\(token)")
                    #expect(replay.status == .unauthorized)
                }
            }
        }
    }

    @Test("a magic link expires: its Redis key carries the 15-minute TTL and a consumed or unknown token fails")
    func magicLinkStore() async throws {
        try await withTenantHarness { harness in
            let fixture = try await harness.makeTenant("Link Shop")
            let links = MagicLinkStore(redis: harness.redis, keyPrefix: TestEnvironment.uniqueName("test:tenant:ml"))
            let token = try await links.issue(tenantID: fixture.tenant.id, userID: fixture.user.id)
            let ttl = try await harness.redis.send("TTL", try links.key(for: token)).int ?? -2
            #expect(ttl > 890 && ttl <= 900)
            let keys = try await harness.redis.send("KEYS", "\(links.keyPrefix)*").array ?? []
            #expect(keys.count == 1 && keys.allSatisfy { !($0.string ?? "").contains(token) })
            let login = try await links.consume(token)
            #expect(login == MagicLinkStore.Login(tenantID: fixture.tenant.id, userID: fixture.user.id))
            #expect(try await links.consume(token) == nil)
            #expect(try await links.consume("x") == nil)
            let short = MagicLinkStore(redis: harness.redis, keyPrefix: links.keyPrefix, lifetime: .seconds(1))
            let expiring = try await short.issue(tenantID: fixture.tenant.id, userID: fixture.user.id)
            _ = try await harness.redis.send("PEXPIRE", try short.key(for: expiring), 1)
            let deadline = ContinuousClock.now + .seconds(5)
            while try await harness.redis.send("EXISTS", try short.key(for: expiring)).int == 1,
                ContinuousClock.now < deadline
            {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(try await short.consume(expiring) == nil)
        }
    }
}
