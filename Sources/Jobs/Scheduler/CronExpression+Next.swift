public import Foundation

extension CronExpression {
    /// How far ahead (or back) a search looks before concluding the schedule never fires. The Gregorian
    /// calendar repeats every 400 years, so nothing found in that span means never.
    private static let searchYears = 400

    /// The first minute strictly after `date` at which the schedule fires, in UTC.
    ///
    /// Jumps field by field (month, day, hour, minute) instead of scanning minutes, so far dates such as
    /// the next February 29 are found in a few dozen steps.
    /// - Parameter date: The instant to search after.
    /// - Returns: The start of the next matching minute, or `nil` if it never fires again.
    public func next(after date: Date) -> Date? {
        var time = CivilMinute(epochMinutes: CivilMinute(containing: date).epochMinutes + 1)
        let lastYear = time.year + Self.searchYears
        while time.year <= lastYear {
            guard months.contains(time.month) else {
                if let month = months.first(atLeast: time.month + 1), month <= 12 {
                    time = CivilMinute(year: time.year, month: month, day: 1, hour: 0, minute: 0)
                } else {
                    time = CivilMinute(
                        year: time.year + 1, month: months.first(atLeast: 1) ?? 1, day: 1, hour: 0, minute: 0)
                }
                continue
            }
            guard matchesDay(time) else {
                time = Self.startOfNextDay(after: time)
                continue
            }
            guard let hour = hours.first(atLeast: time.hour), hour <= 23 else {
                time = Self.startOfNextDay(after: time)
                continue
            }
            if hour != time.hour {
                time.hour = hour
                time.minute = 0
            }
            guard let minute = minutes.first(atLeast: time.minute), minute <= 59 else {
                if time.hour == 23 {
                    time = Self.startOfNextDay(after: time)
                } else {
                    time.hour += 1
                    time.minute = 0
                }
                continue
            }
            time.minute = minute
            return time.date
        }
        return nil
    }

    /// The last minute at or before `date` at which the schedule fires, in UTC.
    ///
    /// The mirror of ``next(after:)``: `date`'s own minute counts when it matches.
    /// - Parameter date: The instant to search back from.
    /// - Returns: The start of the latest matching minute, or `nil` if it never fired in the search span.
    public func previous(atOrBefore date: Date) -> Date? {
        var time = CivilMinute(containing: date)
        let firstYear = time.year - Self.searchYears
        while time.year >= firstYear {
            guard months.contains(time.month) else {
                let year = months.last(atMost: time.month - 1) == nil ? time.year - 1 : time.year
                let month = months.last(atMost: time.month - 1) ?? months.last(atMost: 12) ?? 12
                time = Self.endOfDay(year: year, month: month, day: CivilMinute.daysIn(month: month, year: year))
                continue
            }
            guard matchesDay(time) else {
                time = Self.endOfPreviousDay(before: time)
                continue
            }
            guard let hour = hours.last(atMost: time.hour) else {
                time = Self.endOfPreviousDay(before: time)
                continue
            }
            if hour != time.hour {
                time.hour = hour
                time.minute = 59
            }
            guard let minute = minutes.last(atMost: time.minute) else {
                if time.hour == 0 {
                    time = Self.endOfPreviousDay(before: time)
                } else {
                    time.hour -= 1
                    time.minute = 59
                }
                continue
            }
            time.minute = minute
            return time.date
        }
        return nil
    }

    private static func startOfNextDay(after time: CivilMinute) -> CivilMinute {
        if time.day < time.daysInMonth {
            return CivilMinute(year: time.year, month: time.month, day: time.day + 1, hour: 0, minute: 0)
        }
        if time.month < 12 { return CivilMinute(year: time.year, month: time.month + 1, day: 1, hour: 0, minute: 0) }
        return CivilMinute(year: time.year + 1, month: 1, day: 1, hour: 0, minute: 0)
    }

    private static func endOfPreviousDay(before time: CivilMinute) -> CivilMinute {
        if time.day > 1 { return endOfDay(year: time.year, month: time.month, day: time.day - 1) }
        if time.month > 1 {
            return endOfDay(
                year: time.year, month: time.month - 1, day: CivilMinute.daysIn(month: time.month - 1, year: time.year))
        }
        return endOfDay(year: time.year - 1, month: 12, day: 31)
    }

    private static func endOfDay(year: Int, month: Int, day: Int) -> CivilMinute {
        CivilMinute(year: year, month: month, day: day, hour: 23, minute: 59)
    }
}
