import Foundation
import Postgres
import Store
import Testing

@Suite struct TenantRepositoryTests {
    @Test("add, show, list, set-tier, set-persona and disable, each audited")
    func lifecycle() async throws {
        try await withMigratedStore { repos, _ in
            let tenant = try await repos.tenants.create(name: "  Acme Bakery ", tier: .starter, actor: "cli:test")
            #expect(tenant.name == "Acme Bakery" && tenant.tier == .starter && tenant.status == .active)
            #expect(try await repos.tenants.find(tenant.id) == tenant)
            let upgraded = try await repos.tenants.setTier(.professional, tenantID: tenant.id, actor: "cli:test")
            #expect(upgraded.tier == .professional)
            let persona = Persona(name: "Crumb", instructions: "Be warm.", settings: ["language": "de"])
            let withPersona = try await repos.tenants.setPersona(persona, tenantID: tenant.id, actor: "cli:test")
            #expect(withPersona.persona == persona)
            let disabled = try await repos.tenants.disable(tenant.id, actor: "cli:test")
            #expect(disabled.status == .disabled)
            #expect(try await repos.tenants.listAllTenants().map(\.id) == [tenant.id])
            let actions = try await repos.audit.list(tenantID: tenant.id).map(\.action)
            #expect(
                actions == ["tenant.disabled", "tenant.persona_changed", "tenant.tier_changed", "tenant.created"])
            let details = try await repos.audit.list(tenantID: tenant.id).flatMap(\.details.values)
            #expect(!details.contains("Be warm."))
        }
    }

    @Test("unknown tenants and bad names are clear errors")
    func errors() async throws {
        try await withMigratedStore { repos, _ in
            await #expect(throws: StoreError.self) { try await repos.tenants.create(name: "  ", actor: "cli:test") }
            do {
                try await repos.tenants.setTier(.enterprise, tenantID: .random(), actor: "cli:test")
                Issue.record("unknown tenant updated")
            } catch let error as StoreError {
                #expect(error.code == .notFound)
            }
            #expect(try await repos.tenants.find(.random()) == nil)
        }
    }

    @Test("usage adds up per period and notices are recorded once")
    func usageAndNotices() async throws {
        try await withMigratedStore { repos, _ in
            let tenant = try await repos.tenants.create(name: "Usage", actor: "cli:test")
            try await repos.usage.add(answered: 3, tenantID: tenant.id, period: "2026-11")
            let total = try await repos.usage.add(answered: 2, overLimit: 1, tenantID: tenant.id, period: "2026-11")
            #expect(total.messagesAnswered == 5 && total.messagesOverLimit == 1)
            await #expect(throws: StoreError.self) {
                try await repos.usage.add(answered: 1, tenantID: tenant.id, period: "2026-13")
            }
            #expect(try await repos.notices.recordOnce(kind: "usage.80", period: "2026-11", tenantID: tenant.id) != nil)
            #expect(try await repos.notices.recordOnce(kind: "usage.80", period: "2026-11", tenantID: tenant.id) == nil)
            #expect(try await repos.crossTenant.usage(period: "2026-11").map(\.messagesAnswered) == [5])
        }
    }
}

@Suite struct TenantJSONTests {
    @Test("a tenant encodes to JSON with plain string ids and tiers (for --json)")
    func json() throws {
        let id = TenantID.random()
        let tenant = Tenant(
            id: id, name: "Acme", tier: .professional, status: .active, persona: Persona(),
            createdAt: Date(timeIntervalSince1970: 0))
        let text = String(decoding: try JSONEncoder().encode(tenant), as: UTF8.self)
        #expect(text.contains("\"id\":\"\(id)\""))
        #expect(text.contains("\"tier\":\"professional\""))
        #expect(try JSONDecoder().decode(Tenant.self, from: Data(text.utf8)) == tenant)
    }
}
