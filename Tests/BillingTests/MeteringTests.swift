import Foundation
import Logging
import Redis
import Store
import TestSupport
import Testing

@testable import Billing

@Suite struct MeteringTests {
    let redis: RedisClient
    let meter: UsageMeter

    init() throws {
        var configuration = try RedisConfiguration(url: TestEnvironment.redisURL)
        configuration.poolSize = 8
        redis = RedisClient(configuration: configuration, logger: Logger(label: "test.metering"))
        meter = UsageMeter(
            redis: redis, keyPrefix: TestEnvironment.uniqueName("test:usage"), decisionTTL: .seconds(120))
    }

    /// 2026-11-15 12:00 UTC.
    let november = Date(timeIntervalSince1970: 1_794_744_000)

    private func cleanUp(tenant: String, periods: [MeterPeriod]) async throws {
        for period in periods { _ = try await redis.send("DEL", meter.counterKey(tenantID: tenant, period: period)) }
    }

    @Test("3,000 concurrent check-and-counts for a starter tenant with 990 used: exactly 10 allowed")
    func concurrentLimit() async throws {
        let tenant = TestEnvironment.uniqueName("tenant")
        let period = MeterPeriod(containing: november)
        try await meter.restore(tenantID: tenant, period: period, answered: 990)
        let meter = self.meter
        let november = self.november
        let decisions = try await withThrowingTaskGroup(of: MeterDecision.self) { group in
            for index in 0..<3_000 {
                group.addTask {
                    try await meter.checkAndCount(
                        tenantID: tenant, tier: .starter, messageID: "m\(index)", at: november)
                }
            }
            return try await group.reduce(into: [MeterDecision]()) { $0.append($1) }
        }
        #expect(decisions.count == 3_000)
        #expect(decisions.filter(\.isAllowed).count == 10)
        #expect(Set(decisions.filter(\.isAllowed).map(\.count)) == Set(991...1_000))
        #expect(decisions.filter { $0.crossed(percent: 100) }.count == 1)
        #expect(decisions.filter { $0.crossed(percent: 80) }.isEmpty)
        #expect(decisions.allSatisfy { !$0.isReplay && $0.period == period })
        let usage = try await meter.usage(tenantID: tenant, period: period)
        #expect(usage == MeterUsage(answered: 1_000, denied: 2_990, refunded: 0))
        try await cleanUp(tenant: tenant, periods: [period])
    }

    @Test("the 80 % threshold is crossed by exactly one of many concurrent calls")
    func eightyPercentOnce() async throws {
        let tenant = TestEnvironment.uniqueName("tenant")
        let period = MeterPeriod(containing: november)
        try await meter.restore(tenantID: tenant, period: period, answered: 795)
        let meter = self.meter
        let november = self.november
        let decisions = try await withThrowingTaskGroup(of: MeterDecision.self) { group in
            for index in 0..<50 {
                group.addTask {
                    try await meter.checkAndCount(
                        tenantID: tenant, tier: .starter, messageID: "m\(index)", at: november)
                }
            }
            return try await group.reduce(into: [MeterDecision]()) { $0.append($1) }
        }
        let crossing = decisions.filter { $0.crossed(percent: 80) }
        #expect(crossing.count == 1)
        #expect(crossing.first?.count == 800)
        #expect(decisions.allSatisfy { $0.isAllowed })
        try await cleanUp(tenant: tenant, periods: [period])
    }

    @Test("a re-run for the same message id repeats the decision without counting")
    func replayIsNotCounted() async throws {
        let tenant = TestEnvironment.uniqueName("tenant")
        let period = MeterPeriod(containing: november)
        let first = try await meter.checkAndCount(tenantID: tenant, limit: 1, messageID: "mid-1", at: november)
        let again = try await meter.checkAndCount(tenantID: tenant, limit: 1, messageID: "mid-1", at: november)
        let other = try await meter.checkAndCount(tenantID: tenant, limit: 1, messageID: "mid-2", at: november)
        #expect(first.isAllowed && !first.isReplay && first.crossedPercentages == [80, 100])
        #expect(again.isAllowed && again.isReplay && again.count == 1 && again.crossedPercentages.isEmpty)
        #expect(!other.isAllowed && other.count == 1)
        #expect(try await meter.usage(tenantID: tenant, period: period) == MeterUsage(answered: 1, denied: 1))
        try await cleanUp(tenant: tenant, periods: [period])
    }

    @Test("month rollover: a tenant at its limit in November starts afresh on 1 December UTC")
    func monthRollover() async throws {
        let tenant = TestEnvironment.uniqueName("tenant")
        let lastSecond = Date(timeIntervalSince1970: 1_796_083_199)  // 2026-11-30 23:59:59 UTC
        let firstSecond = lastSecond.addingTimeInterval(1)  // 2026-12-01 00:00:00 UTC
        let nov = try #require(MeterPeriod("2026-11"))
        let dec = try #require(MeterPeriod("2026-12"))
        #expect(MeterPeriod(containing: lastSecond) == nov)
        #expect(MeterPeriod(containing: firstSecond) == dec)
        try await meter.restore(tenantID: tenant, period: nov, answered: 1_000)
        let denied = try await meter.checkAndCount(tenantID: tenant, tier: .starter, messageID: "a", at: lastSecond)
        let allowed = try await meter.checkAndCount(tenantID: tenant, tier: .starter, messageID: "b", at: firstSecond)
        #expect(!denied.isAllowed && denied.period == nov && denied.count == 1_000)
        #expect(allowed.isAllowed && allowed.period == dec && allowed.count == 1)
        let ttl = try await redis.send("TTL", meter.counterKey(tenantID: tenant, period: dec)).int ?? -1
        #expect(ttl > 31 * 86_400)
        try await cleanUp(tenant: tenant, periods: [nov, dec])
    }

    @Test("enterprise is never denied but still counted")
    func enterpriseUnlimited() async throws {
        let tenant = TestEnvironment.uniqueName("tenant")
        let period = MeterPeriod(containing: november)
        try await meter.restore(tenantID: tenant, period: period, answered: 1_000_000)
        let decision = try await meter.checkAndCount(
            tenantID: tenant, tier: .enterprise, messageID: "e", at: november)
        #expect(decision.isAllowed && decision.count == 1_000_001 && decision.limit == nil)
        #expect(decision.crossedPercentages.isEmpty)
        try await cleanUp(tenant: tenant, periods: [period])
    }

    @Test("a refund gives the count back once")
    func refund() async throws {
        let tenant = TestEnvironment.uniqueName("tenant")
        let period = MeterPeriod(containing: november)
        let decision = try await meter.checkAndCount(tenantID: tenant, tier: .starter, messageID: "r", at: november)
        #expect(decision.isAllowed)
        #expect(try await meter.refund(tenantID: tenant, messageID: "r", period: period))
        #expect(try await !meter.refund(tenantID: tenant, messageID: "r", period: period))
        #expect(try await meter.usage(tenantID: tenant, period: period) == MeterUsage(answered: 0, refunded: 1))
        let replay = try await meter.checkAndCount(tenantID: tenant, tier: .starter, messageID: "r", at: november)
        #expect(replay.isReplay && !replay.isAllowed)
        try await cleanUp(tenant: tenant, periods: [period])
    }

    @Test("periods parse, print and roll over", arguments: [("2026-01", "2026-02"), ("2026-12", "2027-01")])
    func periods(_ text: String, _ next: String) throws {
        let period = try #require(MeterPeriod(text))
        #expect(period.description == text)
        #expect(period.next.description == next)
        #expect(period.end == period.next.start)
        #expect(MeterPeriod("2026-13") == nil && MeterPeriod("26-01") == nil)
    }
}
