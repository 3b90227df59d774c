/// A tenant's counters for one period, as ``UsageMeter/usage(tenantID:period:)`` reads them.
public struct MeterUsage: Sendable, Hashable {
    /// Messages allowed an AI reply (counted against the limit).
    public var answered: Int
    /// Messages refused because the tenant was at its limit (stored, not answered).
    public var denied: Int
    /// Messages allowed and later given back (the reply could not be sent).
    public var refunded: Int

    /// Creates counters.
    public init(answered: Int = 0, denied: Int = 0, refunded: Int = 0) {
        self.answered = answered
        self.denied = denied
        self.refunded = refunded
    }
}
