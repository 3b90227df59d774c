import Foundation
import Jobs
import Postgres
import Store
import Testing
import Vault

@testable import Accounts

/// The refresh sweep and `refresh-token` through the real job engine, Vault and the sandbox.
@Suite struct RefreshTests {
    /// Creates `count` Instagram integrations over `tenants` tenants with sandbox-valid tokens, expiring
    /// `expiry(i)` seconds from now and last refreshed `age(i)` seconds ago.
    static func seed(
        _ world: LifecycleWorld, tenants: Int, count: Int, expiry: (Int) -> Int, age: (Int) -> Int
    ) async throws -> [Integration] {
        var owners: [Tenant] = []
        for index in 0..<tenants { owners.append(try await world.tenant(name: "Shop \(index)")) }
        var integrations: [Integration] = []
        for index in 0..<count {
            let owner = owners[index % tenants]
            let integration = try await world.repositories.integrations.connect(
                tenantID: owner.id, platform: .instagram, accountID: "1784\(100_000 + index)",
                accountName: "shop_\(index)", actor: "test")
            try await world.vault.storeAccessToken(
                Secret("sandbox-\(world.queue)-\(index)"), tenantID: owner.id, integrationID: integration.id,
                expiresAt: Date().addingTimeInterval(TimeInterval(expiry(index))), actor: "test")
            try await world.pool.query(
                """
                UPDATE platform_integrations SET last_refreshed_at = now() - make_interval(secs => \(age(index)))
                WHERE id = \(integration.id.rawValue)
                """)
            integrations.append(integration)
        }
        return integrations
    }

    static func refreshedCount(_ world: LifecycleWorld) async throws -> [UUID: Int] {
        let rows = try await world.pool.query(
            """
            SELECT (details->>'integration.id')::uuid, count(*)::bigint FROM audit_log
            WHERE action = 'integration.token_refreshed' GROUP BY 1
            """)
        var counts: [UUID: Int] = [:]
        for row in rows {
            let (id, count) = try row.decode((UUID, Int).self)
            counts[id] = count
        }
        return counts
    }

    @Test("200 integrations with spread expiries; two concurrent sweeps; each due token refreshed exactly once")
    func sweepTwiceAtOnce() async throws {
        try await LifecycleWorld.with { world in
            let day = 86_400
            // Expiries 0.5 … 20.4 days; every 7th was refreshed only an hour ago (too young to refresh).
            let integrations = try await Self.seed(
                world, tenants: 20, count: 200, expiry: { day / 2 + $0 * day / 10 },
                age: { $0 % 7 == 0 ? 3_600 : 2 * day })
            let policy = RefreshPolicy()
            let now = Date()
            let due = Set(
                integrations.enumerated().filter { index, _ in
                    Double(day / 2 + index * day / 10) <= Double(policy.horizonSeconds) && index % 7 != 0
                }.map { $0.element.id.rawValue })
            #expect(due.count > 50 && due.count < 200)
            let refresher = world.refresher(policy: policy)
            async let first = refresher.sweep(now: now)
            async let second = refresher.sweep(now: now)
            let results = try await [first, second]
            #expect(results.map(\.enqueued).reduce(0, +) == due.count)
            #expect(results.map(\.duplicates).reduce(0, +) == due.count)
            #expect(results.allSatisfy { $0.expired == 0 })

            var registry = JobRegistry()
            AccountsJobs.register(in: &registry, refresher: refresher, catalog: world.catalog)
            registry.register("send-notice", payload: TenantNotifier.SendNoticePayload.self) { _, _ in }
            let finished = try await world.runWorker(registry) {
                try await Self.refreshedCount(world).count == due.count
            }
            #expect(finished)
            // A third sweep after the refreshes finds nothing due: the fresh tokens are too young.
            let third = try await refresher.sweep()
            #expect(third.enqueued == 0)
            let counts = try await Self.refreshedCount(world)
            #expect(Set(counts.keys) == due)
            #expect(counts.values.allSatisfy { $0 == 1 })
            for integration in integrations where due.contains(integration.id.rawValue) {
                let stored = try #require(
                    try await world.repositories.integrations.find(
                        tenantID: integration.tenantID, integrationID: integration.id))
                #expect(try #require(stored.expiresAt).timeIntervalSinceNow > 59 * Double(day))
            }
        }
    }

    @Test("190 on refresh: needs_reauth, one notice for the tenant however often it happens, no retry")
    func revoked() async throws {
        try await LifecycleWorld.with { world in
            let integrations = try await Self.seed(
                world, tenants: 1, count: 2, expiry: { _ in 5 * 86_400 }, age: { _ in 2 * 86_400 })
            try await world.sandbox.control(
                "/_sandbox/faults", #"{"graph":[{"route":"refresh","code":190,"subcode":460}]}"#)
            let refresher = world.refresher()
            for integration in integrations {
                let result = try await refresher.refresh(tenantID: integration.tenantID, integrationID: integration.id)
                #expect(result == .needsReauth)
                let stored = try await world.repositories.integrations.find(
                    tenantID: integration.tenantID, integrationID: integration.id)
                #expect(stored?.status == .needsReauth)
            }
            let tenantID = try #require(integrations.first).tenantID
            let notices = try await world.repositories.notices.list(tenantID: tenantID)
            #expect(notices.filter { $0.kind == "needs_reauth" }.count == 1)
            #expect(try await world.audit(tenantID, action: "integration.token_refreshed") == 0)
            // A sweep leaves needs_reauth integrations alone.
            #expect(try await refresher.sweep().enqueued == 0)
        }
    }

    @Test("a 5xx is retried by the job engine and then succeeds")
    func transientThenSuccess() async throws {
        try await LifecycleWorld.with { world in
            let integration = try #require(
                try await Self.seed(world, tenants: 1, count: 1, expiry: { _ in 3 * 86_400 }, age: { _ in 90_000 })
                    .first)
            try await world.sandbox.control(
                "/_sandbox/faults", #"{"graph":[{"route":"refresh","status":503,"code":2,"times":2}]}"#)
            let refresher = world.refresher()
            #expect(try await refresher.sweep().enqueued == 1)
            var registry = JobRegistry()
            AccountsJobs.register(in: &registry, refresher: refresher, catalog: world.catalog)
            registry.register("send-notice", payload: TenantNotifier.SendNoticePayload.self) { _, _ in }
            let finished = try await world.runWorker(registry) {
                try await Self.refreshedCount(world)[integration.id.rawValue] == 1
            }
            #expect(finished)
            let stored = try await world.repositories.integrations.find(
                tenantID: integration.tenantID, integrationID: integration.id)
            #expect(stored?.status == .active)
            #expect(try await world.repositories.notices.list(tenantID: integration.tenantID).isEmpty)
        }
    }

    @Test("the tokens report counts by status and days to expiry")
    func report() async throws {
        try await LifecycleWorld.with { world in
            let day = 86_400
            let integrations = try await Self.seed(
                world, tenants: 1, count: 4, expiry: { [day / 2, 2 * day, 20 * day, 50 * day][$0] }, age: { _ in 0 })
            let first = try #require(integrations.first)
            try await world.repositories.integrations.setStatus(
                .needsReauth, tenantID: first.tenantID, integrationID: first.id, actor: "test")
            let report = try await TokensReport.compute(pool: world.pool)
            #expect(report.count(status: "needs_reauth", bucket: .lessThan1Day) == 1)
            #expect(report.count(status: "active", bucket: .days1to3) == 1)
            #expect(report.count(status: "active", bucket: .days10to30) == 1)
            #expect(report.count(status: "active", bucket: .days30Plus) == 1)
            #expect(report.table.contains("needs_reauth  <1d      1"))
        }
    }
}
