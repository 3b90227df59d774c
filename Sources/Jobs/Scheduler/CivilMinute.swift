internal import Foundation

/// A UTC calendar minute (proleptic Gregorian), with exact conversions to and from Unix time.
///
/// Uses Howard Hinnant's `days_from_civil` / `civil_from_days` algorithms, so no `Calendar` is involved.
struct CivilMinute: Hashable, Sendable, Comparable {
    var year: Int
    /// 1 ... 12
    var month: Int
    /// 1 ... 31
    var day: Int
    /// 0 ... 23
    var hour: Int
    /// 0 ... 59
    var minute: Int

    init(year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
    }

    /// The minute that contains `date` (seconds are dropped).
    init(containing date: Date) {
        let seconds = date.timeIntervalSince1970
        self.init(epochMinutes: Int((seconds / 60).rounded(.down)))
    }

    /// The minute `epochMinutes` minutes after 1970-01-01T00:00Z.
    init(epochMinutes: Int) {
        let days = Self.floorDivide(epochMinutes, 1_440)
        let minuteOfDay = epochMinutes - days * 1_440
        let (year, month, day) = Self.civil(fromDays: days)
        self.init(year: year, month: month, day: day, hour: minuteOfDay / 60, minute: minuteOfDay % 60)
    }

    /// Minutes since 1970-01-01T00:00Z.
    var epochMinutes: Int { Self.days(year: year, month: month, day: day) * 1_440 + hour * 60 + minute }

    /// The start of this minute.
    var date: Date { Date(timeIntervalSince1970: TimeInterval(epochMinutes) * 60) }

    /// 0 = Sunday ... 6 = Saturday.
    var weekday: Int {
        let days = Self.days(year: year, month: month, day: day)
        return Self.floorModulo(days + 4, 7)
    }

    /// Days in this minute's month.
    var daysInMonth: Int { Self.daysIn(month: month, year: year) }

    /// `2026-02-28T23:59Z`, the form scheduled unique keys use.
    var isoText: String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var yearText = String(year)
        while yearText.count < 4 { yearText = "0" + yearText }
        return "\(yearText)-\(two(month))-\(two(day))T\(two(hour)):\(two(minute))Z"
    }

    static func < (lhs: Self, rhs: Self) -> Bool { lhs.epochMinutes < rhs.epochMinutes }

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a civil date.
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date `days` days after 1970-01-01.
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func floorDivide(_ a: Int, _ b: Int) -> Int {
        let quotient = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
    }

    private static func floorModulo(_ a: Int, _ b: Int) -> Int { a - floorDivide(a, b) * b }
}
