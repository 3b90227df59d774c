public import Foundation

/// A metering period: one UTC calendar month, written `YYYY-MM` (e.g. `2026-11`).
///
/// ```swift
/// let period = MeterPeriod(containing: Date())   // the current UTC month
/// print(period)                                   // "2026-11"
/// ```
public struct MeterPeriod: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, e.g. 2026.
    public let year: Int
    /// The month, 1 ... 12.
    public let month: Int

    /// Creates a period from a year and a month.
    /// - Parameters:
    ///   - year: The year (1970 ... 9999).
    ///   - month: The month, 1 ... 12.
    /// - Returns: `nil` when the month or year is out of range.
    public init?(year: Int, month: Int) {
        guard (1...12).contains(month), (1970...9999).contains(year) else { return nil }
        self.year = year
        self.month = month
    }

    /// The UTC calendar month that contains `date`.
    public init(containing date: Date) {
        let components = Self.calendar.dateComponents([.year, .month], from: date)
        year = components.year ?? 1970
        month = components.month ?? 1
    }

    /// Parses `YYYY-MM`.
    /// - Returns: `nil` for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1])
        else { return nil }
        self.init(year: year, month: month)
    }

    /// `YYYY-MM`.
    public var description: String {
        let monthText = month < 10 ? "0\(month)" : "\(month)"
        return "\(year)-\(monthText)"
    }

    /// The first instant of the period (UTC midnight on the 1st).
    public var start: Date {
        Self.calendar.date(from: DateComponents(year: year, month: month, day: 1)) ?? Date(timeIntervalSince1970: 0)
    }

    /// The period after this one.
    public var next: MeterPeriod {
        month == 12
            ? MeterPeriod(uncheckedYear: year + 1, month: 1) : MeterPeriod(uncheckedYear: year, month: month + 1)
    }

    /// The first instant after the period (the start of ``next``).
    public var end: Date { next.start }

    /// Orders periods by time.
    public static func < (lhs: MeterPeriod, rhs: MeterPeriod) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }

    private init(uncheckedYear year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? .current
        return calendar
    }()
}
