// libFuzzer target: the crontab parser (Sources/Jobs/Scheduler/Crontab*.swift, CronExpression*).
// Any text must parse or throw; a parsed schedule's next/previous run must be found (or be nil) in bounded
// time and must match the schedule.
import Foundation
import Jobs

private let start = Date(timeIntervalSince1970: 1_764_000_000)  // 2025-11-24T16:00:00Z

/// libFuzzer's entry point: checks one input of `size` bytes at `data`; returns 0 (a failed check traps).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCrontab(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var schedules: [CronExpression] = []
    if let crontab = try? Crontab(parsing: text) { schedules += crontab.entries.map(\.schedule) }
    if let line = text.split(separator: "\n").first, let expression = try? CronExpression(parsing: String(line)) {
        schedules.append(expression)
    }
    for schedule in schedules.prefix(4) {
        if let next = schedule.next(after: start) {
            if next <= start || !schedule.matches(next) { fatalError("next(after:) is wrong for \(schedule)") }
        }
        if let previous = schedule.previous(atOrBefore: start) {
            if previous > start || !schedule.matches(previous) { fatalError("previous is wrong for \(schedule)") }
        }
    }
    return 0
}
