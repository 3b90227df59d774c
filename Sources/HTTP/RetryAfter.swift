public import Foundation

/// Reads an HTTP `Retry-After` field value (RFC 9110 §10.2.3): either a number of seconds (`120`) or an
/// HTTP-date (`Wed, 21 Oct 2015 07:28:00 GMT`), in any of the three date forms a recipient must accept
/// (RFC 9110 §5.6.7: IMF-fixdate, the obsolete RFC 850 form and ANSI C's `asctime()` form).
///
/// ```swift
/// let wait = RetryAfter.delay(response.headers["Retry-After"])  // Duration?, nil when absent or unreadable
/// ```
///
/// Pure and thread-safe; no `DateFormatter` (locale-free, allocation-light).
public enum RetryAfter {
    /// The delay a `Retry-After` value asks for.
    /// - Parameters:
    ///   - value: the field value, or `nil` when the header is absent.
    ///   - now: the current time (a date in the past gives `.zero`).
    /// - Returns: the delay (never negative), or `nil` when the value is absent or neither seconds nor a date.
    public static func delay(_ value: String?, now: Date = Date()) -> Duration? {
        guard let value else { return nil }
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(text), seconds.isFinite {
            // RFC 9110 says digits only; a decimal (some servers send one) is read too, a negative one is not.
            guard seconds >= 0 else { return nil }
            return .milliseconds(Int(min(seconds, 1e9) * 1000))
        }
        guard let date = date(text, now: now) else { return nil }
        let seconds = date.timeIntervalSince(now)
        return seconds > 0 ? .milliseconds(Int(min(seconds, 1e9) * 1000)) : .zero
    }

    /// Parses an HTTP-date in one of its three forms; always GMT.
    /// - Parameters:
    ///   - text: the date text.
    ///   - now: the current time, to place an RFC 850 two-digit year (RFC 9110: a year more than 50 years
    ///     in the future is in the past century).
    /// - Returns: the date, or `nil` when the text is no HTTP-date.
    public static func date(_ text: String, now: Date = Date()) -> Date? {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        var day: Int?
        var month: Int?
        var year: Int?
        var time: String?
        switch fields.count {
        case 6 where fields[0].hasSuffix(",") && fields[5] == "GMT":
            // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
            (day, month, year, time) = (Int(fields[1]), monthNumber(fields[2]), Int(fields[3]), fields[4])
            if fields[3].count != 4 { year = nil }
        case 4 where fields[0].hasSuffix(",") && fields[3] == "GMT":
            // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
            let parts = fields[1].split(separator: "-").map(String.init)
            guard parts.count == 3, parts[2].count == 2, let short = Int(parts[2]) else { return nil }
            (day, month, year, time) = (Int(parts[0]), monthNumber(parts[1]), fullYear(short, now: now), fields[2])
        case 5:
            // asctime: Sun Nov  6 08:49:37 1994
            (day, month, year, time) = (Int(fields[2]), monthNumber(fields[1]), Int(fields[4]), fields[3])
            if fields[4].count != 4 { year = nil }
        default:
            return nil
        }
        guard let day, let month, let year, let time, (1...31).contains(day), year >= 1900,
            let seconds = secondsOfDay(time)
        else { return nil }
        let days = daysSince1970(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: Double(days * 86_400 + seconds))
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    private static func monthNumber(_ name: String) -> Int? {
        months.firstIndex(of: name.lowercased()).map { $0 + 1 }
    }

    /// `HH:MM:SS` → seconds since midnight (a leap second `60` is accepted).
    private static func secondsOfDay(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ $0.count == 2 }),
            let hours = Int(parts[0]), let minutes = Int(parts[1]), let seconds = Int(parts[2]),
            (0...23).contains(hours), (0...59).contains(minutes), (0...60).contains(seconds)
        else { return nil }
        return hours * 3600 + minutes * 60 + seconds
    }

    private static func fullYear(_ short: Int, now: Date) -> Int {
        let currentYear = 1970 + Int(now.timeIntervalSince1970 / 31_556_952)
        var year = currentYear - currentYear % 100 + short
        if year > currentYear + 50 { year -= 100 }
        return year
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    private static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
