import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import TestSupport
import Testing
import Web

@Suite struct OnboardingSignupTests {
    @Test("step 1 creates the tenant and its login, then steps 2 and 3 show connect and persona for that tenant")
    func threeSteps() async throws {
        try await withTenantHarness { harness in
            try await Application(router: harness.router()).test(.router) { client in
                var browser = TenantPageClient()
                let form = try await browser.get(client, "/tenant/signup")
                #expect(TenantPageClient.text(form).contains("Create your account"))
                let email = "\(TestEnvironment.uniqueName("new"))@example.test"
                let created = try await browser.post(
                    client, "/tenant/signup",
                    [("name", "India Shop"), ("email", email), ("password", "a long password"), ("tier", "starter")])
                #expect(created.status == .seeOther)
                #expect(created.headers[.location] == "/tenant/onboarding/connect")
                let user = try #require(try await TenantUserRepository(pool: harness.pool).findForLogin(email: email))
                let tenant = try #require(try await harness.repositories.tenants.find(user.tenantID))
                #expect(tenant.name == "India Shop" && tenant.tier == .starter && tenant.email == email)

                let connect = TenantPageClient.text(try await browser.get(client, "/tenant/onboarding/connect"))
                #expect(connect.contains("Connect Instagram"))
                #expect(!connect.contains("/tenant/connect/facebook"))
                let start = try await browser.post(client, "/tenant/connect/instagram", [("back", "onboarding")])
                #expect(start.status == .seeOther)
                #expect(
                    start.headers[.location]?.hasPrefix("https://www.instagram.com/oauth/authorize?tenant=\(tenant.id)")
                        == true)

                let persona = TenantPageClient.text(try await browser.get(client, "/tenant/onboarding/persona"))
                #expect(persona.contains("Configure your assistant"))
                let saved = try await browser.post(
                    client, "/tenant/persona",
                    [("persona_name", "Indy"), ("persona_instructions", "Answer in English."), ("back", "onboarding")])
                #expect(saved.status == .seeOther)
                #expect(try await harness.repositories.tenants.find(tenant.id)?.persona.name == "Indy")

                var again = TenantPageClient()
                _ = try await again.get(client, "/tenant/signup")
                let taken = try await again.post(
                    client, "/tenant/signup",
                    [("name", "Copy Shop"), ("email", email), ("password", "a long password"), ("tier", "starter")])
                #expect(taken.status == .badRequest)
                #expect(TenantPageClient.text(taken).contains("already has an account"))
            }
        }
    }

    @Test("a professional tenant gets the Facebook Page button; a starter tenant does not")
    func facebookByTier() async throws {
        try await withTenantHarness { harness in
            let professional = try await harness.makeTenant("Juliet Shop", tier: .professional)
            let starter = try await harness.makeTenant("Kilo Shop", tier: .starter)
            try await Application(router: harness.router()).test(.router) { client in
                var pro = TenantPageClient()
                try await pro.logIn(client, email: professional.user.email, password: professional.password)
                #expect(
                    TenantPageClient.text(try await pro.get(client, "/tenant")).contains("/tenant/connect/facebook"))
                var basic = TenantPageClient()
                try await basic.logIn(client, email: starter.user.email, password: starter.password)
                #expect(
                    !TenantPageClient.text(try await basic.get(client, "/tenant")).contains("/tenant/connect/facebook"))
            }
        }
    }
}
