/// A days-to-expiry range for `woodstock tokens` and the `woodstock.tokens` gauge.
public enum ExpiryBucket: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Already expired.
    case expired
    /// Less than 1 day left.
    case lessThan1Day = "<1d"
    /// 1 to 3 days left.
    case days1to3 = "1-3d"
    /// 3 to 10 days left (inside the default refresh horizon).
    case days3to10 = "3-10d"
    /// 10 to 30 days left.
    case days10to30 = "10-30d"
    /// 30 or more days left.
    case days30Plus = "30d+"
    /// No expiry (Facebook Page tokens).
    case never

    /// The bucket of a token with `secondsLeft` seconds to live (nil: no expiry).
    public init(secondsLeft: Int64?) {
        guard let secondsLeft else {
            self = .never
            return
        }
        let day: Int64 = 86_400
        switch secondsLeft {
        case ..<0: self = .expired
        case ..<day: self = .lessThan1Day
        case ..<(3 * day): self = .days1to3
        case ..<(10 * day): self = .days3to10
        case ..<(30 * day): self = .days10to30
        default: self = .days30Plus
        }
    }

    /// Orders buckets from most to least urgent.
    public static func < (lhs: ExpiryBucket, rhs: ExpiryBucket) -> Bool {
        let order = allCases
        return (order.firstIndex(of: lhs) ?? 0) < (order.firstIndex(of: rhs) ?? 0)
    }
}
