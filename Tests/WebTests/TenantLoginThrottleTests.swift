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

@Suite struct TenantLoginThrottleTests {
    @Test("after 10 wrong passwords a minute an address gets 429 with Retry-After, even with the right one; others not")
    func passwordGuessing() async throws {
        try await withTenantHarness { harness in
            let fixture = try await harness.makeTenant("Guess Shop")
            let bystander = try await harness.makeTenant("Bystander Shop")
            try await Application(router: harness.router()).test(.router) { client in
                var browser = TenantPageClient()
                _ = try await browser.get(client, "/tenant/login")
                for _ in 0..<10 {
                    let wrong = try await browser.post(
                        client, "/tenant/login/password", [("email", fixture.user.email), ("password", "guess")])
                    #expect(wrong.status == .unauthorized)
                }
                let locked = try await browser.post(
                    client, "/tenant/login/password",
                    [("email", fixture.user.email.uppercased()), ("password", fixture.password)])
                #expect(locked.status == .tooManyRequests)
                let wait = Int(locked.headers[.retryAfter] ?? "") ?? 0
                #expect((1...60).contains(wait))
                #expect(TenantPageClient.text(locked).contains("Too many failed logins for this address"))

                var other = TenantPageClient()
                _ = try await other.get(client, "/tenant/login")
                let fine = try await other.post(
                    client, "/tenant/login/password",
                    [("email", bystander.user.email), ("password", bystander.password)])
                #expect(fine.status == .seeOther)
            }
            // The keys name a digest of the address, never the address.
            let keys = try await harness.redis.send("KEYS", "\(harness.login.throttle.keyPrefix)*").array ?? []
            #expect(!keys.isEmpty)
            #expect(keys.allSatisfy { !($0.string ?? "").contains(fixture.user.email) })
        }
    }

    @Test("an address gets 3 login links per 15 minutes; the 4th request is refused with 429 and sends nothing")
    func magicLinkFlood() async throws {
        try await TestSMTPSink.withSink { sink in
            let smtp = SMTPConfiguration(url: sink.url, security: .none, timeout: .seconds(10))
            try await withTenantHarness(smtp: smtp) { harness in
                let fixture = try await harness.makeTenant("Flood Shop")
                try await Application(router: harness.router()).test(.router) { client in
                    var browser = TenantPageClient()
                    _ = try await browser.get(client, "/tenant/login")
                    for _ in 0..<3 {
                        let sent = try await browser.post(
                            client, "/tenant/login/magic", [("email", fixture.user.email)])
                        #expect(sent.status == .ok)
                    }
                    let refused = try await browser.post(client, "/tenant/login/magic", [("email", fixture.user.email)])
                    #expect(refused.status == .tooManyRequests)
                    let wait = Int(refused.headers[.retryAfter] ?? "") ?? 0
                    #expect((1...900).contains(wait))
                    #expect(try sink.messages().count == 3)
                    // The refused request was not counted, and the window still ends.
                    let keys = try await harness.redis.send("KEYS", "\(harness.login.throttle.keyPrefix):ml:*")
                    let key = try #require(keys.array?.first?.string)
                    #expect(try await harness.redis.send("GET", key).string == "3")
                    #expect((try await harness.redis.send("PTTL", key).int ?? -1) > 0)
                }
            }
        }
    }
}
