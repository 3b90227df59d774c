public import Foundation

/// A billing period: one UTC calendar month, written `YYYY-MM`.
public struct BillingPeriod: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, e.g. 2026.
    public let year: Int
    /// The month, 1...12.
    public let month: Int

    /// Creates a period.
    /// - Throws: ``BillingError`` `.invalidPeriod` for a month outside 1...12 or a year outside 2000...9999.
    public init(year: Int, month: Int) throws {
        guard (1...12).contains(month), (2000...9999).contains(year) else {
            throw BillingError(.invalidPeriod, message: "no such period: \(year)-\(month)")
        }
        self.year = year
        self.month = month
    }

    /// Parses `YYYY-MM`, or `current` / `previous` relative to `now` (UTC).
    /// - Throws: ``BillingError`` `.invalidPeriod` for anything else.
    public init(parsing text: String, now: Date = Date()) throws {
        switch text {
        case "current":
            self = BillingPeriod.containing(now)
        case "previous":
            self = BillingPeriod.containing(now).previous
        default:
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
                parts.allSatisfy({ $0.allSatisfy(\.isASCII) }),
                let year = Int(parts[0]), let month = Int(parts[1])
            else { throw BillingError(.invalidPeriod, message: "expected YYYY-MM, current or previous") }
            try self.init(year: year, month: month)
        }
    }

    private init(unchecked year: Int, _ month: Int) {
        self.year = year
        self.month = month
    }

    private static var utc: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        return calendar
    }

    /// The period containing `date` (UTC).
    public static func containing(_ date: Date) -> BillingPeriod {
        let parts = utc.dateComponents([.year, .month], from: date)
        return BillingPeriod(unchecked: parts.year ?? 1970, parts.month ?? 1)
    }

    /// The month before.
    public var previous: BillingPeriod {
        month == 1 ? BillingPeriod(unchecked: year - 1, 12) : BillingPeriod(unchecked: year, month - 1)
    }

    /// The month after.
    public var next: BillingPeriod {
        month == 12 ? BillingPeriod(unchecked: year + 1, 1) : BillingPeriod(unchecked: year, month + 1)
    }

    /// The first instant of the period (UTC midnight on the 1st).
    public var start: Date {
        BillingPeriod.utc.date(from: DateComponents(year: year, month: month, day: 1)) ?? Date(timeIntervalSince1970: 0)
    }

    /// The first instant after the period.
    public var end: Date { next.start }

    /// Whether the period is over at `now`, so its figures no longer change.
    public func isClosed(at now: Date = Date()) -> Bool { now >= end }

    /// `YYYY-MM`.
    public var description: String {
        let monthText = month < 10 ? "0\(month)" : "\(month)"
        return "\(year)-\(monthText)"
    }

    /// Chronological order.
    public static func < (lhs: BillingPeriod, rhs: BillingPeriod) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }
}
