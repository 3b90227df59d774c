public import Foundation

/// A cron schedule: the five time fields of a crontab(5) line, evaluated in UTC.
///
/// Fields are `minute hour day-of-month month day-of-week`. Each accepts `*`, a number, a range `a-b`,
/// a step `*/n` or `a-b/n`, and comma-separated lists of these. Months accept `jan`...`dec` and days
/// of the week `sun`...`sat` (any case); `0` and `7` are both Sunday. The macros `@yearly`,
/// `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight` and `@hourly` stand for their usual
/// five fields (`@reboot` is not a schedule and is rejected).
///
/// Days follow Vixie cron: when both day fields are restricted (neither starts with `*`), a day
/// matches if EITHER matches; otherwise both must.
///
/// ```swift
/// let nightly = try CronExpression(parsing: "17 3 * * *")
/// let next = nightly.next(after: .now)   // the next 03:17 UTC
/// ```
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    let minutes: CronField
    let hours: CronField
    let daysOfMonth: CronField
    let months: CronField
    let daysOfWeek: CronField

    /// The expression as written, e.g. `*/15 * * * *` or `@daily`.
    public let description: String

    /// The macros and the fields they stand for.
    static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    /// Parses an expression: five whitespace-separated fields, or one macro.
    /// - Parameter text: For example `*/5 * * * *`, `30 0 1 * *`, `0 9 * * mon-fri` or `@hourly`.
    /// - Throws: ``JobError/Code/invalidCrontab`` with the reason (the field, its text and what is wrong),
    ///   also when the expression can never match (`0 0 30 feb *`).
    public init(parsing text: String) throws {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        if words.count == 1, words[0].hasPrefix("@") {
            let macro = words[0].lowercased()
            guard let fields = Self.macros[macro] else {
                let known = Self.macros.keys.sorted().joined(separator: ", ")
                throw JobError(.invalidCrontab, message: "unknown schedule '\(words[0])' (known: \(known))")
            }
            try self.init(fields: fields.split(separator: " "), description: String(words[0]))
        } else {
            guard words.count == 5 else {
                throw JobError(
                    .invalidCrontab,
                    message: "expected 5 fields (minute hour day-of-month month day-of-week), found \(words.count)"
                )
            }
            try self.init(fields: words, description: words.joined(separator: " "))
        }
    }

    private init(fields: [Substring], description: String) throws {
        minutes = try CronField(parsing: fields[0], kind: .minute)
        hours = try CronField(parsing: fields[1], kind: .hour)
        daysOfMonth = try CronField(parsing: fields[2], kind: .dayOfMonth)
        months = try CronField(parsing: fields[3], kind: .month)
        daysOfWeek = try CronField(parsing: fields[4], kind: .dayOfWeek)
        self.description = description
        guard canEverMatch else {
            throw JobError(.invalidCrontab, message: "'\(description)' never matches: no chosen month has such a day")
        }
    }

    /// With the AND rule, some chosen month must be long enough for the smallest chosen day.
    private var canEverMatch: Bool {
        guard !usesDayOrRule, !daysOfMonth.isStar, let smallestDay = daysOfMonth.first(atLeast: 1) else { return true }
        let longest = (1...12).filter(months.contains).map { CivilMinute.daysIn(month: $0, year: 2_000) }.max() ?? 0
        return smallestDay <= longest
    }

    /// Both day fields are restricted, so a day matching either one is enough.
    var usesDayOrRule: Bool { !daysOfMonth.isStar && !daysOfWeek.isStar }

    /// Whether the schedule fires during `date`'s minute (UTC).
    /// - Parameter date: Any instant; its seconds are ignored.
    /// - Returns: `true` when the minute matches all fields.
    public func matches(_ date: Date) -> Bool {
        let minute = CivilMinute(containing: date)
        return months.contains(minute.month) && matchesDay(minute) && hours.contains(minute.hour)
            && minutes.contains(minute.minute)
    }

    /// Whether the day of `minute` matches the two day fields, with the OR rule when both are restricted.
    func matchesDay(_ minute: CivilMinute) -> Bool {
        guard minute.day <= minute.daysInMonth else { return false }
        let dayOfMonth = daysOfMonth.contains(minute.day)
        let dayOfWeek = daysOfWeek.contains(minute.weekday)
        return usesDayOrRule ? (dayOfMonth || dayOfWeek) : (dayOfMonth && dayOfWeek)
    }
}
