import Foundation

/// How the dashboard writes times, ages and counts.
enum AdminFormat {
    /// `2026-11-25 20:31:05 UTC`.
    static func timestamp(_ date: Date?) -> String {
        guard let date else { return "—" }
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let (year, month, day) = civil(fromDays: days)
        let time = seconds - days * 86_400
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d UTC", year, month, day, time / 3600, (time % 3600) / 60, time % 60)
    }

    /// `3m ago`, `in 2h 5m`.
    static func relative(_ date: Date?, now: Date) -> String {
        guard let date else { return "" }
        let delta = date.timeIntervalSince(now)
        if abs(delta) < 5 { return "just now" }
        let text = duration(abs(delta))
        return delta >= 0 ? "in \(text)" : "\(text) ago"
    }

    /// `45s`, `3m`, `2h 5m`, `4d 3h`.
    static func duration(_ seconds: TimeInterval) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86_400 { return "\(s / 3600)h \((s % 3600) / 60)m" }
        return "\(s / 86_400)d \((s % 86_400) / 3600)h"
    }

    /// `12,345`.
    static func count(_ value: Int) -> String {
        var digits = String(abs(value))
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        groups.insert(digits, at: 0)
        return (value < 0 ? "-" : "") + groups.joined(separator: ",")
    }

    /// Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    private static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
