import Foundation
import Testing

@testable import Billing

/// ``MeterPeriod`` computes months with integer arithmetic; these tests hold it to Foundation's calendar.
@Suite struct MeterPeriodArithmeticTests {
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar
    }()

    @Test("the month containing a date agrees with Calendar, including the last second of each month")
    func containing() throws {
        var seconds: [Double] = [0, -1, 951_782_400, 951_868_799.999, 4_102_444_799, 4_102_444_800]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            seconds.append(Double(Int64.random(in: -2_000_000_000...8_000_000_000, using: &generator)))
        }
        for year in 1999...2031 {
            for month in 1...12 {
                let start = try #require(Self.utc.date(from: DateComponents(year: year, month: month, day: 1)))
                seconds += [start.timeIntervalSince1970, start.timeIntervalSince1970 - 0.001]
            }
        }
        for value in seconds {
            let date = Date(timeIntervalSince1970: value)
            let expected = Self.utc.dateComponents([.year, .month], from: date)
            let period = MeterPeriod(containing: date)
            #expect(period.year == expected.year && period.month == expected.month, "\(value)")
        }
    }

    @Test("start and end are UTC midnight on the 1st, as Calendar computes them")
    func bounds() throws {
        for year in [1970, 1999, 2000, 2024, 2026, 2100, 2400] {
            for month in 1...12 {
                let period = try #require(MeterPeriod(year: year, month: month))
                let start = try #require(Self.utc.date(from: DateComponents(year: year, month: month, day: 1)))
                #expect(period.start == start)
                let end = try #require(Self.utc.date(byAdding: .month, value: 1, to: start))
                #expect(period.end == end)
            }
        }
    }
}
