/// The outcome of one ``UsageMeter/checkAndCount(tenantID:limit:messageID:at:)``.
public struct MeterDecision: Sendable, Hashable {
    /// `true` when the message may get an AI reply (it was counted); `false` when the tenant is at its limit.
    public let isAllowed: Bool
    /// The tenant's answered-message count in ``period`` after this call (unchanged when denied).
    public let count: Int
    /// The limit checked against; `nil` for unlimited tiers (still counted).
    public let limit: Int?
    /// The period that was charged.
    public let period: MeterPeriod
    /// The thresholds, in percent of the limit (of those asked for, e.g. 80 and 100), that *this* call
    /// crossed. Exactly one call per period crosses each threshold, so a caller that raises a notice
    /// when this is non-empty raises it once per period. Always empty for replays and unlimited tiers.
    public let crossedPercentages: [Int]
    /// `true` when the decision was already taken for the same message id (a job re-run): nothing was
    /// counted again and ``isAllowed`` repeats the first decision.
    public let isReplay: Bool

    /// Creates a decision (the meter builds these; public for tests of callers).
    public init(
        isAllowed: Bool, count: Int, limit: Int?, period: MeterPeriod, crossedPercentages: [Int] = [],
        isReplay: Bool = false
    ) {
        self.isAllowed = isAllowed
        self.count = count
        self.limit = limit
        self.period = period
        self.crossedPercentages = crossedPercentages
        self.isReplay = isReplay
    }

    /// `true` when this call crossed the given threshold (e.g. `80` or `100`).
    public func crossed(percent: Int) -> Bool { crossedPercentages.contains(percent) }
}
