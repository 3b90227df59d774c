public import Foundation
public import Logging
public import Postgres
import Redis
public import Store

/// The `meter-usage` job: folds the Redis usage counters into `usage_ledger` and raises the 80 % / 100 % notices.
///
/// Idempotent: the ledger row is *set* to the counter values, never incremented, so any number of runs (also
/// concurrent ones) leave the same figures. If Redis lost a period's counters, the answered count is rebuilt
/// from the AI replies stored in PostgreSQL (part 0 of each reply), never lowering the ledger, and written back
/// to Redis so the limit keeps holding. The current and the previous period are folded (month rollover).
public struct UsageFolder: Sendable {
    let pool: PostgresPool
    let repositories: Repositories
    let meter: UsageMeter
    let raiser: NoticeRaiser
    let logger: Logger

    /// Creates the folder.
    public init(
        pool: PostgresPool, repositories: Repositories, meter: UsageMeter, raiser: NoticeRaiser, logger: Logger
    ) {
        self.pool = pool
        self.repositories = repositories
        self.meter = meter
        self.raiser = raiser
        self.logger = logger
    }

    /// One tenant-period's folded figures.
    public struct Folded: Sendable, Equatable {
        /// The tenant.
        public var tenantID: TenantID
        /// `YYYY-MM`.
        public var period: String
        /// AI-answered messages now in the ledger.
        public var answered: Int
        /// Over-limit messages now in the ledger.
        public var overLimit: Int
        /// Whether the Redis counters were missing and rebuilt from PostgreSQL.
        public var wasRecovered: Bool
    }

    /// Folds every tenant's current and previous period.
    /// - Parameter now: picks the periods.
    /// - Returns: what was written.
    /// - Throws: Redis or PostgreSQL errors (the job retries).
    @discardableResult
    public func run(now: Date = Date()) async throws -> [Folded] {
        let current = MeterPeriod(containing: now)
        var folded: [Folded] = []
        for tenant in try await repositories.tenants.listAllTenants() {
            for period in [current.previous, current] {
                let result = try await fold(tenant: tenant, period: period)
                folded.append(result)
                if period == current {
                    try await raiseNotices(tenant: tenant, answered: result.answered, period: period)
                }
            }
        }
        logger.info("usage folded", metadata: ["usage.rows": "\(folded.count)"])
        return folded
    }

    /// Folds one tenant's period.
    /// - Throws: Redis or PostgreSQL errors.
    public func fold(tenant: Tenant, period: MeterPeriod) async throws -> Folded {
        let key = meter.counterKey(tenantID: tenant.id.description, period: period)
        let exists = try await meter.redis.send("EXISTS", key).int == 1
        let usage = try await meter.usage(tenantID: tenant.id.description, period: period)
        let recount = try await storedReplies(tenantID: tenant.id, period: period)
        let answered: Int
        let overLimit: Int?
        if exists {
            answered = max(usage.answered, recount)
            overLimit = usage.denied
        } else {
            let ledger = try await repositories.usage.find(tenantID: tenant.id, period: period.description)
            answered = max(ledger?.messagesAnswered ?? 0, recount)
            overLimit = nil
        }
        if answered > usage.answered {
            try await meter.restore(tenantID: tenant.id.description, period: period, answered: answered)
        }
        let written = try await setLedger(
            tenantID: tenant.id, period: period.description, answered: answered, overLimit: overLimit)
        return Folded(
            tenantID: tenant.id, period: period.description, answered: written.answered, overLimit: written.overLimit,
            wasRecovered: !exists && answered > 0)
    }

    /// AI replies stored for the tenant in the period: the first part of each (`send_key` `reply:<mid>:0`).
    func storedReplies(tenantID: TenantID, period: MeterPeriod) async throws -> Int {
        let rows = try await pool.query(
            """
            SELECT count(*)::bigint FROM chatbot_messages
            WHERE client_id = \(tenantID.rawValue) AND direction = 'out' AND is_ai
              AND send_key LIKE 'reply:%:0' AND send_state = 'sent'
              AND created_at >= \(period.start) AND created_at < \(period.end)
            """)
        return try rows.first?.decode(Int.self, at: 0) ?? 0
    }

    /// Sets the ledger row (over-limit kept when `overLimit` is nil).
    func setLedger(tenantID: TenantID, period: String, answered: Int, overLimit: Int?) async throws -> (
        answered: Int, overLimit: Int
    ) {
        let rows = try await pool.query(
            """
            INSERT INTO usage_ledger (client_id, period, messages_answered, messages_over_limit)
            VALUES (\(tenantID.rawValue), \(period), \(answered), \(overLimit ?? 0))
            ON CONFLICT (client_id, period) DO UPDATE
                SET messages_answered = EXCLUDED.messages_answered,
                    messages_over_limit = CASE WHEN \(overLimit == nil) THEN usage_ledger.messages_over_limit
                                               ELSE EXCLUDED.messages_over_limit END,
                    updated_at = now()
            RETURNING messages_answered, messages_over_limit
            """)
        guard let row = rows.first else { throw BillingError(.storageFailed, message: "ledger upsert returned no row") }
        let (written, over) = try row.decode((Int, Int).self)
        return (written, over)
    }

    private func raiseNotices(tenant: Tenant, answered: Int, period: MeterPeriod) async throws {
        let tier = tenant.tier
        for kind in NoticeKind.usageNotices(used: answered, limit: tier.monthlyMessageLimit) {
            try await raiser.raise(
                kind, tenantID: tenant.id, period: period.description,
                details: ["messages": "\(answered)", "limit": "\(tier.monthlyMessageLimit ?? 0)"])
        }
    }
}
