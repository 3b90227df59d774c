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

    /// The UTC calendar month that contains `date` (plain arithmetic on the proleptic Gregorian calendar:
    /// this runs once per metered message, and `Calendar` is an order of magnitude slower).
    public init(containing date: Date) {
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        let (year, month) = Self.civil(fromDays: days)
        self.year = year
        self.month = month
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
    public var start: Date { Date(timeIntervalSince1970: Double(Self.days(year: year, month: month)) * 86_400) }

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

    /// Days since 1970-01-01 of the 1st of `month` (H. Hinnant's `days_from_civil`).
    static func days(year: Int, month: Int) -> Int {
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Year and month of the day `days` after 1970-01-01 (H. Hinnant's `civil_from_days`).
    static func civil(fromDays days: Int) -> (year: Int, month: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month)
    }
}
