import Foundation
import Testing

@testable import Jobs

/// Parses `2026-11-25T17:30:00Z` (fractional seconds allowed).
func utc(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    if let date = formatter.date(from: text) { return date }
    formatter.formatOptions.insert(.withFractionalSeconds)
    guard let date = formatter.date(from: text) else { fatalError("bad test date \(text)") }
    return date
}

@Suite struct CrontabExpressionTests {
    /// Expected values were produced by an independent brute-force implementation (Python `datetime`).
    @Test(
        "next run after a time",
        arguments: [
            ("*/15 * * * *", "2026-11-25T17:29:59Z", "2026-11-25T17:30:00Z"),
            ("*/15 * * * *", "2026-11-25T17:30:00Z", "2026-11-25T17:45:00Z"),  // strictly after
            ("* * * * *", "2026-12-31T23:59:00Z", "2027-01-01T00:00:00Z"),  // year boundary
            ("0 0 31 * *", "2026-01-31T00:00:00Z", "2026-03-31T00:00:00Z"),  // February has no 31st
            ("0 0 31 * *", "2026-04-01T00:00:00Z", "2026-05-31T00:00:00Z"),  // nor April
            ("0 0 30 * *", "2026-01-30T12:00:00Z", "2026-03-30T00:00:00Z"),
            ("0 12 29 2 *", "2026-03-01T00:00:00Z", "2028-02-29T12:00:00Z"),  // next leap day
            ("0 12 29 2 *", "2096-03-01T00:00:00Z", "2104-02-29T12:00:00Z"),  // 2100 is not a leap year
            ("0 0 29 feb *", "2024-02-28T23:59:00Z", "2024-02-29T00:00:00Z"),
            ("0 0 28 2 *", "2024-02-28T00:00:00Z", "2025-02-28T00:00:00Z"),
            ("0 0 1 1 *", "2026-12-31T23:59:30Z", "2027-01-01T00:00:00Z"),
            ("59 23 31 12 *", "2026-06-01T00:00:00Z", "2026-12-31T23:59:00Z"),
            ("0 9 * * mon-fri", "2026-11-27T09:00:00Z", "2026-11-30T09:00:00Z"),  // Friday → Monday
            ("0 9 * * MON-FRI", "2026-11-28T10:00:00Z", "2026-11-30T09:00:00Z"),
            ("0 0 13 * fri", "2026-11-01T00:00:00Z", "2026-11-06T00:00:00Z"),  // OR rule: a Friday
            ("0 0 13 * fri", "2026-11-07T00:00:00Z", "2026-11-13T00:00:00Z"),  // OR rule: the 13th
            ("0 0 */2 * fri", "2026-11-01T00:00:00Z", "2026-11-13T00:00:00Z"),  // '*' first: AND rule
            ("0 0 1-7 * */2", "2026-11-08T00:00:00Z", "2026-12-01T00:00:00Z"),  // AND rule
            ("0 0 * * 7", "2026-11-25T00:00:00Z", "2026-11-29T00:00:00Z"),  // 7 is Sunday
            ("0 0 * * 0", "2026-11-25T00:00:00Z", "2026-11-29T00:00:00Z"),
            ("0 0 * * 5-7", "2026-11-28T12:00:00Z", "2026-11-29T00:00:00Z"),
            ("@monthly", "2026-01-31T12:00:00Z", "2026-02-01T00:00:00Z"),
            ("@weekly", "2026-11-25T00:00:00Z", "2026-11-29T00:00:00Z"),
            ("@yearly", "2026-03-01T00:00:00Z", "2027-01-01T00:00:00Z"),
            ("@annually", "2026-03-01T00:00:00Z", "2027-01-01T00:00:00Z"),
            ("@daily", "2026-11-25T23:59:59Z", "2026-11-26T00:00:00Z"),
            ("@midnight", "2026-11-25T00:00:00Z", "2026-11-26T00:00:00Z"),
            ("@hourly", "2026-11-25T17:00:00Z", "2026-11-25T18:00:00Z"),
            ("30 0 1 * *", "2026-12-15T00:00:00Z", "2027-01-01T00:30:00Z"),
            ("17 3 * * *", "2026-11-25T03:17:00Z", "2026-11-26T03:17:00Z"),
            ("5-10/2 * * * *", "2026-11-25T10:06:00Z", "2026-11-25T10:07:00Z"),
            ("5-10/2 * * * *", "2026-11-25T10:09:00Z", "2026-11-25T11:05:00Z"),
            ("0 22 * * 1-5/2", "2026-11-26T23:00:00Z", "2026-11-27T22:00:00Z"),
            ("0 0 1 jan,Jul *", "2026-02-01T00:00:00Z", "2026-07-01T00:00:00Z"),
            ("*/20 */6 * * *", "2026-11-25T18:41:00Z", "2026-11-26T00:00:00Z"),
            ("0,30 8-9 * * *", "2026-11-25T09:30:00Z", "2026-11-26T08:00:00Z"),
            ("0 0 29 2 mon", "2026-03-01T00:00:00Z", "2027-02-01T00:00:00Z"),  // OR: any Monday in February
            ("0 0 29 2 */3", "2026-03-01T00:00:00Z", "2032-02-29T00:00:00Z"),  // AND: Feb 29 on Sun/Wed/Sat
            ("15 14 1 * *", "1999-12-31T23:59:00Z", "2000-01-01T14:15:00Z"),
        ]
    )
    func nextRun(_ expression: String, _ after: String, _ expected: String) throws {
        let cron = try CronExpression(parsing: expression)
        let next = try #require(cron.next(after: utc(after)))
        #expect(next == utc(expected), "\(expression) after \(after)")
        #expect(cron.matches(next))
        #expect(cron.previous(atOrBefore: next) == next)
        #expect(cron.previous(atOrBefore: next.addingTimeInterval(59)) == next)
        let before = try #require(cron.previous(atOrBefore: next.addingTimeInterval(-60)))
        #expect(before < next)
        #expect(cron.next(after: before) == next, "previous and next disagree for \(expression)")
    }

    @Test(
        "next and previous agree with minute-by-minute matching over four days",
        arguments: ["*/7 * * * *", "0 0 13 * fri", "0 0 */2 * fri", "59 23 28-31 * *", "30 1-3 * feb-mar sun,wed"]
    )
    func agreesWithScan(_ expression: String) throws {
        let cron = try CronExpression(parsing: expression)
        var expected: Date?
        let start = utc("2028-02-27T00:00:00Z")
        for minute in stride(from: 0, to: 4 * 1_440, by: 1).reversed() {
            let time = start.addingTimeInterval(Double(minute) * 60)
            if let next = expected { #expect(cron.next(after: time) == next, "\(expression) at \(time)") }
            if cron.matches(time) { expected = time }
        }
    }

    @Test("a schedule that can never fire is rejected at parse time", arguments: ["0 0 30 2 *", "0 0 31 4,6,9,11 *"])
    func neverMatches(_ expression: String) {
        #expect(throws: JobError.self) { try CronExpression(parsing: expression) }
    }

    @Test("a leap-day-only schedule is accepted and finds the next leap day")
    func leapDayOnly() throws {
        let cron = try CronExpression(parsing: "0 0 29 2 *")
        #expect(cron.next(after: utc("2027-01-01T00:00:00Z")) == utc("2028-02-29T00:00:00Z"))
        #expect(cron.previous(atOrBefore: utc("2027-01-01T00:00:00Z")) == utc("2024-02-29T00:00:00Z"))
    }

    @Test(
        "bad expressions name the field and the problem",
        arguments: [
            ("61 * * * *", "minute field '61': 61 is out of range 0-59"),
            ("* 24 * * *", "hour field '24': 24 is out of range 0-23"),
            ("* * 0 * *", "day-of-month field '0': 0 is out of range 1-31"),
            ("* * * 13 *", "month field '13': 13 is out of range 1-12"),
            ("* * * * 8", "day-of-week field '8': 8 is out of range 0-7"),
            ("* * * foo *", "month field 'foo': 'foo' is not a number"),
            ("5-1 * * * *", "minute field '5-1': range 5-1 runs backwards"),
            ("*/0 * * * *", "minute field '*/0': step '0' must be a number 1-60"),
            ("5/10 * * * *", "minute field '5/10': a step needs a range or '*'"),
            ("1,,2 * * * *", "minute field '1,,2': empty list item"),
            ("* * * *", "expected 5 fields"),
            ("* * * * * *", "expected 5 fields"),
            ("@fortnightly", "unknown schedule '@fortnightly'"),
        ]
    )
    func badExpression(_ expression: String, _ reason: String) {
        let error = #expect(throws: JobError.self) { try CronExpression(parsing: expression) }
        #expect(error?.code == .invalidCrontab)
        #expect(error?.message?.hasPrefix(reason) == true, "\(error?.message ?? "no message")")
    }

    @Test("unique keys name the scheduled minute in UTC")
    func uniqueKey() {
        let key = ScheduledTick.uniqueKey(jobName: "meter-usage", minute: utc("2028-02-29T07:05:59Z"))
        #expect(key == "meter-usage@2028-02-29T07:05Z")
        #expect(ScheduledTick.minute(containing: utc("2028-02-29T07:05:59Z")) == utc("2028-02-29T07:05:00Z"))
    }
}
