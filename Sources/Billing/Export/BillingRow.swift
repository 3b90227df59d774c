public import Store

/// One tenant's line in a billing export.
public struct BillingRow: Sendable, Hashable {
    /// The tenant's id (`client_integrations.id`).
    public var tenantID: String
    /// The tenant's display name.
    public var name: String
    /// The tenant's tier.
    public var tier: Tier
    /// AI-answered messages in the period.
    public var messagesAnswered: Int
    /// Messages stored but not answered because the limit was reached.
    public var overLimitMessages: Int
    /// The period.
    public var period: MeterPeriod

    /// Creates a row.
    public init(
        tenantID: String, name: String, tier: Tier, messagesAnswered: Int, overLimitMessages: Int,
        period: MeterPeriod
    ) {
        self.tenantID = tenantID
        self.name = name
        self.tier = tier
        self.messagesAnswered = messagesAnswered
        self.overLimitMessages = overLimitMessages
        self.period = period
    }
}
