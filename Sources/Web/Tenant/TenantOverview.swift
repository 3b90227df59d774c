public import Billing
import Foundation
public import Store

/// What the tenant's page shows: the tenant, its integrations, usage this period against the tier's limit,
/// notices and the closed billing periods it can download.
public struct TenantOverview: Sendable, Equatable {
    /// One connected account.
    public struct Account: Sendable, Equatable {
        /// The integration.
        public var integration: Integration
        /// Whole days until the token expires (negative: expired), `nil` when it does not expire.
        public var daysToExpiry: Int?
    }

    /// The tenant.
    public var tenant: Tenant
    /// Its integrations.
    public var accounts: [Account]
    /// The current period.
    public var period: MeterPeriod
    /// Messages answered by the assistant this period.
    public var answered: Int
    /// The tier's monthly limit (`nil`: unlimited).
    public var limit: Int?
    /// Its notices, newest first.
    public var notices: [Notice]
    /// Closed periods with a billing CSV, newest first.
    public var closedPeriods: [MeterPeriod]

    /// Usage as a whole percentage of the limit (`nil`: unlimited), capped at 100.
    public var percentUsed: Int? {
        guard let limit, limit > 0 else { return nil }
        return min(100, answered * 100 / limit)
    }

    /// Whether the tier lets the tenant connect a Facebook Page.
    public var canConnectFacebook: Bool { tenant.tier.allows(.facebook) }
}
