import Billing
import Foundation
import MetricsTestKit
import Store
import TestSupport
import Testing

@testable import Messaging

@Suite struct MessagingMetricsTests {
    @Test("replies, skips and failures are counted by platform and outcome, never by tenant")
    func counters() async throws {
        let testMetrics = TestMetrics()
        try await withMessagingHarness(metrics: MessagingMetrics(factory: testMetrics)) { harness in
            let tenant = try await harness.makeTenant("Counted Shop", tier: .starter)
            _ = try await harness.process(MessagingHarness.message(to: tenant, from: "c1", text: "hello"))
            try await harness.meter.restore(
                tenantID: tenant.id.description, period: .init(containing: Date()), answered: 1_000)
            _ = try await harness.process(MessagingHarness.message(to: tenant, from: "c1", text: "again"))
            let other = try await harness.makeTenant("Revoked Shop")
            try await harness.sandbox.setFaults(#"{"graph":[{"route":"send","code":190}]}"#)
            _ = try await harness.process(MessagingHarness.message(to: other, from: "c2", text: "hi"))
        }
        let answered = try testMetrics.expectCounter(
            "woodstock.messaging.replies", [("platform", "instagram"), ("outcome", "answered")])
        #expect(answered.totalValue == 1)
        let overLimit = try testMetrics.expectCounter(
            "woodstock.messaging.skipped", [("platform", "instagram"), ("outcome", "over_limit")])
        #expect(overLimit.totalValue == 1)
        let revoked = try testMetrics.expectCounter(
            "woodstock.messaging.failures", [("platform", "instagram"), ("outcome", "token_invalid")])
        #expect(revoked.totalValue == 1)
        let labels = testMetrics.counters(label: "woodstock.messaging.replies").flatMap(\.dimensions).map(\.0)
        #expect(Set(labels) == ["platform", "outcome"])
    }
}
