public import Billing
public import Foundation
public import Logging
public import Postgres
public import Store

/// The tenant page's data and actions, all scoped by the session's tenant id: the overview, the persona
/// editor and the tenant's own row of a closed period's billing CSV.
///
/// ```swift
/// let portal = TenantPortal(pool: pool, repositories: repositories, meter: UsageMeter(redis: redis), logger: logger)
/// let overview = try await portal.overview(tenantID: session.tenantID)
/// ```
public struct TenantPortal: Sendable {
    let pool: PostgresPool
    let repositories: Repositories
    let meter: UsageMeter
    let logger: Logger
    let clock: @Sendable () -> Date

    /// Creates the portal.
    /// - Parameters:
    ///   - pool: the PostgreSQL pool (billing export).
    ///   - repositories: the tenant-scoped repositories.
    ///   - meter: the live usage counters.
    ///   - logger: ids only.
    ///   - clock: the current time.
    public init(
        pool: PostgresPool, repositories: Repositories, meter: UsageMeter, logger: Logger,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.pool = pool
        self.repositories = repositories
        self.meter = meter
        self.logger = logger
        self.clock = clock
    }

    /// The tenant's page data, or `nil` when the tenant does not exist.
    /// - Throws: a store or Redis error.
    public func overview(tenantID: TenantID) async throws -> TenantOverview? {
        guard let tenant = try await repositories.tenants.find(tenantID) else { return nil }
        let now = clock()
        let period = MeterPeriod(containing: now)
        let live = try await meter.usage(tenantID: tenantID.description, period: period)
        let ledger = try await repositories.usage.find(tenantID: tenantID, period: period.description)
        let accounts = try await repositories.integrations.list(tenantID: tenantID).map { integration in
            TenantOverview.Account(
                integration: integration,
                daysToExpiry: integration.expiresAt.map { Int(($0.timeIntervalSince(now) / 86_400).rounded(.down)) })
        }
        return TenantOverview(
            tenant: tenant, accounts: accounts, period: period,
            answered: max(live.answered - live.refunded, ledger?.messagesAnswered ?? 0),
            limit: tenant.tier.monthlyMessageLimit, notices: try await repositories.notices.list(tenantID: tenantID),
            closedPeriods: Self.closedPeriods(since: tenant.createdAt, now: now))
    }

    /// The closed periods from the tenant's first month to last month, newest first (at most 24).
    static func closedPeriods(since created: Date, now: Date) -> [MeterPeriod] {
        let first = MeterPeriod(containing: created)
        let current = MeterPeriod(containing: now)
        var periods: [MeterPeriod] = []
        var period = first
        while period < current {
            periods.append(period)
            period = period.next
        }
        return Array(periods.reversed().prefix(24))
    }

    /// Saves the assistant's persona (name and instructions; other settings are kept). Audited by the store.
    /// - Throws: ``StoreError`` for a missing tenant or too long values.
    public func updatePersona(name: String, instructions: String, tenantID: TenantID, by person: String)
        async throws -> Tenant
    {
        guard let tenant = try await repositories.tenants.find(tenantID) else {
            throw StoreError(.notFound, message: "no tenant \(tenantID)")
        }
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        let instructions = instructions.trimmingCharacters(in: .whitespacesAndNewlines)
        guard name.count <= 100, instructions.count <= 4_000 else {
            throw StoreError(.invalidValue, message: "The name can have 100 and the instructions 4,000 characters.")
        }
        var persona = tenant.persona
        persona.name = name.isEmpty ? nil : name
        persona.instructions = instructions.isEmpty ? nil : instructions
        return try await repositories.tenants.setPersona(persona, tenantID: tenantID, actor: "tenant:\(person)")
    }

    /// The tenant's own row of a closed period's billing CSV (same columns as `woodstock export-billing`).
    /// - Returns: the CSV bytes, or `nil` when the period is not closed or predates the tenant.
    /// - Throws: a store error.
    public func billingCSV(tenantID: TenantID, period: MeterPeriod) async throws -> [UInt8]? {
        guard let tenant = try await repositories.tenants.find(tenantID),
            Self.closedPeriods(since: tenant.createdAt, now: clock()).contains(period)
        else { return nil }
        let export = try await BillingExporter(pool: pool).export(period: period)
        return BillingCSV.render(export.rows.filter { $0.tenantID == tenantID.description })
    }
}
