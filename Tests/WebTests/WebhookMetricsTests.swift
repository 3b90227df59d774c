import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Meta
import MetricsTestKit
import NIOCore
import Testing
import Web

@Suite struct WebhookMetricsTests {
    @Test("outcomes are counted: malformed, unauthorized, accepted with its events")
    func counters() async throws {
        let metrics = TestMetrics()
        let router = makeWebhookRouter(
            configuration: WebhookRouteTests.configuration, enqueuer: RecordingEnqueuer(),
            readiness: FixedReadiness(statuses: []), logger: Logger(label: "web.test"), metricsFactory: metrics)
        try await Application(router: router).test(.router) { client in
            _ = try await WebhookRouteTests.post(client, "{bad", signatureHeader: try WebhookRouteTests.signed("{bad"))
            _ = try await WebhookRouteTests.post(client, "{}", signatureHeader: nil)
            let body = WebhookRouteTests.batched
            _ = try await WebhookRouteTests.post(client, body, signatureHeader: try WebhookRouteTests.signed(body))
        }
        #expect(try metrics.expectCounter("woodstock.webhook.malformed").totalValue == 1)
        #expect(
            try metrics.expectCounter("woodstock.webhook.requests", [("outcome", "malformed")]).totalValue == 1)
        #expect(
            try metrics.expectCounter("woodstock.webhook.requests", [("outcome", "unauthorized")]).totalValue == 1)
        #expect(try metrics.expectCounter("woodstock.webhook.requests", [("outcome", "accepted")]).totalValue == 1)
        #expect(try metrics.expectCounter("woodstock.webhook.events").totalValue == 5)
    }

    @Test("a readiness check slower than the timeout answers 503")
    func readinessTimeout() async throws {
        var configuration = WebhookRouteTests.configuration
        configuration.readinessTimeout = .milliseconds(50)
        let slow = FixedReadiness(statuses: [ReadinessStatus(name: "redis", isReady: true)], delay: .seconds(30))
        let router = makeWebhookRouter(
            configuration: configuration, enqueuer: RecordingEnqueuer(), readiness: slow,
            logger: Logger(label: "web.test"))
        try await Application(router: router).test(.router) { client in
            let response = try await client.execute(uri: "/readyz", method: .get)
            #expect(response.status == .serviceUnavailable)
        }
    }
}
