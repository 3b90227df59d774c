import Billing
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Jobs
import NIOCore
import Postgres
import Redis
import Store
import Testing
import Web

@Suite struct AdminPageTests {
    @Test("tenants page: tier, status, usage this month against the limit, integrations and days to expiry")
    func tenants() async throws {
        try await AdminWorld.with { world, client in
            let tenant = try await world.repositories.tenants.create(name: "Cafe <Olé>", tier: .starter, actor: "t")
            let integration = try await world.repositories.integrations.connect(
                tenantID: tenant.id, platform: .instagram, accountID: "1784", accountName: "cafe", actor: "t")
            let expiry = world.clock.now.addingTimeInterval(5 * 86_400 + 3600)
            try await world.pool.query(
                "UPDATE platform_integrations SET expires_at = \(expiry) WHERE id = \(integration.id.rawValue)")
            let meter = UsageMeter(redis: world.redis)
            let key = meter.counterKey(
                tenantID: tenant.id.description, period: MeterPeriod(containing: world.clock.now))
            _ = try await world.redis.send("HSET", key, "answered", 850)
            let (cookie, _) = try await world.signIn(client)
            let readsBefore = world.reads.reads
            let html = String(
                buffer: try await client.execute(uri: "/admin/tenants", method: .get, headers: [.cookie: cookie]).body)
            #expect(world.reads.reads == readsBefore + 1, "the tenants page reads through the read-only pool")
            #expect(html.contains("Cafe &lt;Olé&gt;"), "tenant names are escaped")
            #expect(!html.contains("Cafe <Olé>"))
            #expect(html.contains("starter"))
            #expect(html.contains("850</span> / 1,000"))
            #expect(html.contains("(85 %)"))
            #expect(html.contains("instagram @cafe"))
            #expect(html.contains("5 days"))
            #expect(html.contains("pill warn"), "a token expiring within 10 days is flagged")
            _ = try await world.redis.send("DEL", key)
        }
    }

    @Test("audit page filters by action prefix, actor prefix and tenant")
    func auditFilters() async throws {
        try await AdminWorld.with { world, client in
            let tenant = try await world.repositories.tenants.create(name: "Filter Co", actor: "cli:ops")
            try await world.repositories.audit.record(
                AuditEntry(actor: "system:refresh", tenantID: tenant.id, action: "token.refreshed", details: ["n": "1"])
            )
            let (cookie, _) = try await world.signIn(client)
            func page(_ query: String) async throws -> String {
                String(
                    buffer: try await client.execute(
                        uri: "/admin/audit?\(query)", method: .get, headers: [.cookie: cookie]
                    ).body)
            }
            let readsBefore = world.reads.reads
            let all = try await page("")
            #expect(world.reads.reads == readsBefore + 1, "the audit page reads through the read-only pool")
            #expect(all.contains("token.refreshed") && all.contains("admin.login") && all.contains("tenant.created"))
            let tokens = try await page("action=token.")
            #expect(tokens.contains("token.refreshed") && !tokens.contains("admin.login"))
            let admin = try await page("actor=admin")
            #expect(admin.contains("admin.login") && !admin.contains("token.refreshed"))
            let forTenant = try await page("tenant=\(tenant.id)")
            #expect(forTenant.contains("token.refreshed") && !forTenant.contains("admin.login"))
            let future = try await page("since=2999-01-01")
            #expect(future.contains("No audit entries match."))
            let bad = try await page("since=yesterday&tenant=nope")
            #expect(bad.contains("Write the day as YYYY-MM-DD") && bad.contains("That is not a tenant id"))
        }
    }

    @Test("schedule page lists crontab lines with last enqueued and next run")
    func schedule() async throws {
        let crontab = try Crontab(
            parsing: "*/15 * * * * woodstock enqueue refresh-tokens\n0 3 1 * * woodstock enqueue export-billing\n")
        try await AdminWorld.with(crontab: crontab) { world, client in
            let (cookie, _) = try await world.signIn(client)
            let html = String(
                buffer: try await client.execute(uri: "/admin/schedule", method: .get, headers: [.cookie: cookie]).body)
            #expect(html.contains("<code>*/15 * * * *</code>"))
            #expect(html.contains("refresh-tokens") && html.contains("export-billing"))
            #expect(html.contains("in "), "next run is shown relative to now")
        }
    }

    @Test("queues page shows the world's queue with its counts and a chart; pause and resume are audited")
    func queues() async throws {
        try await AdminWorld.with { world, client in
            try await AdminDeadJobs.make(
                count: 2, definitions: [JobDefinition(name: "doomed", queue: world.queue, maxAttempts: 1)],
                world: world)
            let (cookie, csrf) = try await world.signIn(client)
            let html = String(
                buffer: try await client.execute(
                    uri: "/admin/queues?queue=\(world.queue)", method: .get, headers: [.cookie: cookie]
                ).body)
            #expect(html.contains("<svg class=\"chart\""))
            #expect(html.contains("Last hour: \(world.queue)"))
            #expect(html.contains("href=\"/admin/dead?queue=\(world.queue)\">2</a>"))
            let paused = try await client.execute(
                uri: "/admin/queues/pause", method: .post, headers: AdminWorld.form(cookie: cookie),
                body: ByteBuffer(string: "_csrf=\(csrf)&queue=\(world.queue)"))
            #expect(paused.headers[.location] == "/admin/queues?notice=paused")
            #expect(try await JobQueueAdmin(redis: world.redis).stats(queues: [world.queue]).first?.isPaused == true)
            _ = try await client.execute(
                uri: "/admin/queues/resume", method: .post, headers: AdminWorld.form(cookie: cookie),
                body: ByteBuffer(string: "_csrf=\(csrf)&queue=\(world.queue)"))
            #expect(try await JobQueueAdmin(redis: world.redis).stats(queues: [world.queue]).first?.isPaused == false)
            #expect(
                try await world.audited("admin.queue").map(\.entry.action).sorted() == [
                    "admin.queue.paused", "admin.queue.resumed",
                ])
        }
    }
}
