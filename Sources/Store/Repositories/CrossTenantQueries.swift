public import Foundation
public import Postgres

/// The few operations that must look across tenants, kept apart and named so: webhook routing, the token
/// refresh sweep, and the billing export. Everything else goes through a tenant-scoped repository.
public struct CrossTenantQueries: Sendable {
    let pool: PostgresPool

    /// Creates the queries over `pool`.
    public init(pool: PostgresPool) { self.pool = pool }

    /// Where a webhook for a platform account goes.
    public struct Route: Sendable, Equatable {
        /// The tenant that connected the account.
        public let tenantID: TenantID
        /// The integration.
        public let integrationID: IntegrationID
        /// The tenant's tier.
        public let tier: Tier
        /// Whether the tenant is served.
        public let tenantStatus: TenantStatus
        /// Whether the integration is usable.
        public let integrationStatus: IntegrationStatus
    }

    /// Looks up the tenant that owns a platform account (webhook routing).
    /// - Throws: a `PostgresError`.
    public func routeForAccount(platform: Platform, accountID: String) async throws -> Route? {
        let rows = try await pool.query(
            """
            SELECT i.client_id, i.id, c.tier, c.status, i.status
            FROM platform_integrations i JOIN client_integrations c ON c.id = i.client_id
            WHERE i.platform = \(platform.rawValue) AND i.account_id = \(accountID)
            """)
        guard let row = rows.first else { return nil }
        let (tenant, integration, tier, tenantStatus, status) = try row.decode(
            (UUID, UUID, String, String, String).self)
        guard let tier = Tier(rawValue: tier), let tenantStatus = TenantStatus(rawValue: tenantStatus),
            let status = IntegrationStatus(rawValue: status)
        else { throw StoreError(.invalidValue, message: "unknown tier or status") }
        return Route(
            tenantID: TenantID(tenant), integrationID: IntegrationID(integration), tier: tier,
            tenantStatus: tenantStatus, integrationStatus: status)
    }

    /// Active integrations with a token that expires before `now + horizon` (the refresh sweep),
    /// soonest first, of active tenants.
    /// - Throws: a `PostgresError`.
    public func integrationsExpiring(
        within horizon: TimeInterval, now: Date = Date(), limit: Int = 1000
    ) async throws -> [Integration] {
        let deadline = now.addingTimeInterval(horizon)
        let rows = try await pool.query(
            """
            SELECT \(unsafeRaw: IntegrationRepository.columns.split(separator: ",").map { "i." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", "))
            FROM platform_integrations i JOIN client_integrations c ON c.id = i.client_id
            WHERE i.status = 'active' AND i.access_token IS NOT NULL AND i.expires_at < \(deadline)
              AND c.status = 'active'
            ORDER BY i.expires_at LIMIT \(limit)
            """)
        return try rows.map(IntegrationRepository.integration)
    }

    /// Every tenant's usage in `period` (the billing export).
    /// - Throws: a `PostgresError`.
    public func usage(period: String) async throws -> [UsageRecord] {
        let rows = try await pool.query(
            """
            SELECT client_id, messages_answered, messages_over_limit FROM usage_ledger
            WHERE period = \(period) ORDER BY client_id
            """)
        return try rows.map { row in
            let (tenant, answered, over) = try row.decode((UUID, Int, Int).self)
            return UsageRecord(
                tenantID: TenantID(tenant), period: period, messagesAnswered: answered, messagesOverLimit: over)
        }
    }
}
