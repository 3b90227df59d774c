import Foundation
import Testing

@testable import HTTP

@Suite struct RetryAfterTests {
    /// 1994-11-06T08:49:37Z, RFC 9110's example date.
    static let example = Date(timeIntervalSince1970: 784_111_777)

    @Test(
        "the three HTTP-date forms of RFC 9110 give the same instant",
        arguments: ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"])
    func dateForms(_ text: String) {
        #expect(RetryAfter.date(text, now: Self.example) == Self.example)
    }

    @Test("seconds and dates give the delay from now; a past date is zero; garbage and absence are nil")
    func delays() {
        let now = Self.example
        #expect(RetryAfter.delay("120", now: now) == .seconds(120))
        #expect(RetryAfter.delay(" 0 ", now: now) == .zero)
        #expect(RetryAfter.delay("1.5", now: now) == .milliseconds(1_500))
        #expect(RetryAfter.delay("Sun, 06 Nov 1994 08:51:37 GMT", now: now) == .seconds(120))
        #expect(RetryAfter.delay("Sun Nov  6 09:49:37 1994", now: now) == .seconds(3_600))
        #expect(RetryAfter.delay("Sat, 05 Nov 1994 08:49:37 GMT", now: now) == .zero)
        #expect(RetryAfter.delay(nil, now: now) == nil)
        for bad in [
            "", "-5", "soon", "Sun, 06 Nov 1994 08:49:37 PST", "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 06 Nov 94 08:49:37 GMT", "Sun, 32 Nov 1994 08:49:37 GMT",
        ] {
            #expect(RetryAfter.delay(bad, now: now) == nil, "\(bad)")
        }
    }

    @Test("dates are proleptic Gregorian GMT: leap days, year ends, RFC 850 two-digit years by the current century")
    func calendar() {
        #expect(RetryAfter.date("Thu, 01 Jan 1970 00:00:00 GMT") == Date(timeIntervalSince1970: 0))
        #expect(RetryAfter.date("Thu, 29 Feb 2024 12:00:00 GMT") == Date(timeIntervalSince1970: 1_709_208_000))
        #expect(RetryAfter.date("Fri, 31 Dec 2100 23:59:59 GMT") == Date(timeIntervalSince1970: 4_133_980_799))
        let now = Date(timeIntervalSince1970: 1_764_028_800)  // 2025-11-25
        #expect(
            RetryAfter.date("Wednesday, 25-Nov-26 00:00:00 GMT", now: now) == Date(timeIntervalSince1970: 1_795_564_800)
        )
        #expect(
            RetryAfter.date("Thursday, 01-Jan-98 00:00:00 GMT", now: now) == Date(timeIntervalSince1970: 883_612_800))
    }
}
