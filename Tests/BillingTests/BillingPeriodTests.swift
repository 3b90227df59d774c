import Foundation
import Testing

@testable import Billing

@Suite struct BillingPeriodTests {
    @Test("parses YYYY-MM and rejects everything else", arguments: ["2026-13", "2026-1", "26-11", "x", "2026-00", ""])
    func invalid(_ text: String) {
        #expect(throws: BillingError.self) { try MeterPeriod(parsing: text) }
    }

    @Test("UTC month bounds, previous/next across the year, closed after the end")
    func bounds() throws {
        let period = try MeterPeriod(parsing: "2026-12")
        #expect(period.description == "2026-12")
        #expect(period.next.description == "2027-01")
        #expect(try MeterPeriod(parsing: "2027-01").previous == period)
        #expect(period.start == Date(timeIntervalSince1970: 1_796_083_200))  // 2026-12-01T00:00:00Z
        #expect(period.end == Date(timeIntervalSince1970: 1_798_761_600))  // 2027-01-01T00:00:00Z
        #expect(!period.isClosed(at: period.end.addingTimeInterval(-1)))
        #expect(period.isClosed(at: period.end))
        let now = Date(timeIntervalSince1970: 1_798_761_600)
        #expect(try MeterPeriod(parsing: "previous", now: now) == period)
        #expect(try MeterPeriod(parsing: "2026-01").previous.description == "2025-12")
        #expect(try MeterPeriod(parsing: "current", now: now).description == "2027-01")
    }

    @Test("usage notices at 80 % and 100 %, none when unlimited")
    func thresholds() {
        #expect(NoticeKind.usageNotices(used: 799, limit: 1_000).isEmpty)
        #expect(NoticeKind.usageNotices(used: 800, limit: 1_000) == [.usage80])
        #expect(NoticeKind.usageNotices(used: 1_000, limit: 1_000) == [.usage80, .usage100])
        #expect(NoticeKind.usageNotices(used: 50_000, limit: nil).isEmpty)
    }
}
