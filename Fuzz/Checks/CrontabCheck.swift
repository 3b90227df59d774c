import Foundation
import Jobs

/// The crontab parser's property (Sources/Jobs/Scheduler/Crontab*.swift, CronExpression*), shared by the libFuzzer
/// target and the corpus replay test: any text parses or throws; a parsed schedule's next/previous run is found (or
/// is nil) in bounded time and matches the schedule.
public enum CrontabCheck {
    private static let start = Date(timeIntervalSince1970: 1_764_000_000)  // 2025-11-24T16:00:00Z

    /// Checks one input.
    /// - Parameter bytes: the text of a crontab (or anything).
    /// - Returns: what went wrong, or `nil` when the property holds.
    public static func check(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        var schedules: [CronExpression] = []
        if let crontab = try? Crontab(parsing: text) { schedules += crontab.entries.map(\.schedule) }
        if let line = text.split(separator: "\n").first, let expression = try? CronExpression(parsing: String(line)) {
            schedules.append(expression)
        }
        for schedule in schedules.prefix(4) {
            if let next = schedule.next(after: start), next <= start || !schedule.matches(next) {
                return "next(after:) is wrong for \(schedule)"
            }
            if let previous = schedule.previous(atOrBefore: start), previous > start || !schedule.matches(previous) {
                return "previous(atOrBefore:) is wrong for \(schedule)"
            }
        }
        return nil
    }
}
