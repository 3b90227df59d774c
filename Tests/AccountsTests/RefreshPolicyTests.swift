import Foundation
import Testing

@testable import Accounts

@Suite struct RefreshPolicyTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let day: TimeInterval = 86_400

    @Test(
        "due only when valid, inside the horizon and at least 24 h since the last refresh",
        arguments: [
            (5.0, 2.0, true), (11.0, 2.0, false), (5.0, 0.5, false), (-1.0, 5.0, false), (10.0, 1.0, true),
        ])
    func due(_ daysLeft: Double, _ daysSinceRefresh: Double, _ expected: Bool) {
        let policy = RefreshPolicy()
        let due = policy.isDue(
            expiresAt: Self.now.addingTimeInterval(daysLeft * Self.day),
            refreshedAt: Self.now.addingTimeInterval(-daysSinceRefresh * Self.day), now: Self.now)
        #expect(due == expected)
    }

    @Test("a token without expiry is never due")
    func noExpiry() {
        #expect(!RefreshPolicy().isDue(expiresAt: nil, refreshedAt: .distantPast, now: Self.now))
    }

    @Test(
        "buckets by days to expiry",
        arguments: [
            (Int64?.none, ExpiryBucket.never), (-1, .expired), (0, .lessThan1Day), (86_399, .lessThan1Day),
            (86_400, .days1to3), (3 * 86_400, .days3to10), (10 * 86_400, .days10to30), (60 * 86_400, .days30Plus),
        ])
    func buckets(_ seconds: Int64?, _ bucket: ExpiryBucket) {
        #expect(ExpiryBucket(secondsLeft: seconds) == bucket)
    }
}
