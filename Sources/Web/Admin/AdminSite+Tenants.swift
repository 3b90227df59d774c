import Billing
import Foundation
import Hummingbird
import Redis
import Store

extension AdminSite {
    /// `GET /admin/tenants`: every tenant with tier, status, usage this period against the limit, and its
    /// integrations with their status and days to token expiry.
    func tenantsPage(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        await guarded("tenants") {
            let clock = now()
            let (tenants, allIntegrations) = try await readRepositories { repositories in
                (try await repositories.tenants.listAllTenants(), try await repositories.crossTenant.allIntegrations())
            }
            let integrations = Dictionary(grouping: allIntegrations, by: \.tenantID)
            let period = MeterPeriod(containing: clock)
            let commands = tenants.map {
                RedisCommand("HGET", meter.counterKey(tenantID: $0.id.description, period: period), "answered")
            }
            let usage = commands.isEmpty ? [] : try await redis.pipeline(commands).map { (try? $0.get().int) ?? 0 }
            let rows = zip(tenants, usage).map { tenant, used -> [String: Any] in
                let limit = tenant.tier.monthlyMessageLimit
                let percent = limit.map { $0 > 0 ? min(100, used * 100 / $0) : 100 }
                let level = percent.map { $0 >= 100 ? "bad" : $0 >= 80 ? "warn" : "ok" } ?? "ok"
                return [
                    "name": tenant.name, "id": tenant.id.description,
                    "shortID": String(tenant.id.description.prefix(8)),
                    "tier": tenant.tier.rawValue, "status": tenant.status.rawValue,
                    "isActive": tenant.status == .active, "used": AdminFormat.count(used),
                    "limit": limit.map(AdminFormat.count) ?? "unlimited", "percent": percent ?? 0,
                    "hasPercent": percent != nil, "level": level,
                    "integrations": (integrations[tenant.id] ?? []).map { integrationRow($0, now: clock) },
                    "hasIntegrations": !(integrations[tenant.id] ?? []).isEmpty,
                ]
            }
            return try renderer.page(
                "admin-tenants", title: "Tenants",
                context: [
                    "tenants": rows, "hasTenants": !rows.isEmpty, "period": period.description,
                    "count": AdminFormat.count(rows.count),
                ] as [String: Any],
                chrome: chrome(context, path: "/admin/tenants"))
        }
    }

    private func integrationRow(_ integration: Integration, now: Date) -> [String: Any] {
        let days = integration.expiresAt.map { Int(($0.timeIntervalSince(now) / 86_400).rounded(.down)) }
        let level: String
        switch (integration.status, days) {
        case (.active, .some(let days)) where days < 0: level = "bad"
        case (.active, .some(let days)) where days < 10: level = "warn"
        case (.active, _): level = "ok"
        case (.needsReauth, _): level = "bad"
        case (.disabled, _): level = ""
        }
        let expiry: String
        if let days {
            expiry = days < 0 ? "expired" : days == 1 ? "1 day" : "\(days) days"
        } else {
            expiry = integration.platform == .webchat ? "no token" : "unknown"
        }
        return [
            "platform": integration.platform.rawValue,
            "account": integration.accountName.map { "@\($0)" } ?? integration.accountID,
            "status": integration.status.rawValue, "expiry": expiry, "level": level,
            "expiresAt": AdminFormat.timestamp(integration.expiresAt),
        ]
    }
}
