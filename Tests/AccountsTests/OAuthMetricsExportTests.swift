import Foundation
import Prometheus
import Store
import Testing

@testable import Accounts

/// The OAuth success-rate counters as `/metrics` shows them: the process installs `PrometheusMetricsFactory`
/// (Relay), so the dotted labels must come out as valid Prometheus names with their dimensions.
@Suite struct OAuthMetricsExportTests {
    @Test("started, succeeded and failed counters render in the Prometheus text format /metrics serves")
    func prometheusText() async throws {
        try await LifecycleWorld.with { world in
            let registry = PrometheusCollectorRegistry()
            let onboarding = try world.onboarding(factory: PrometheusMetricsFactory(registry: registry))
            let tenant = try await world.tenant()
            let url = try await onboarding.start(tenantID: tenant.id, platform: .instagram)
            let outcome = await onboarding.callback(platform: .instagram, query: try await world.sandbox.authorize(url))
            guard case .connected = outcome else {
                Issue.record("expected connected, got \(outcome)")
                return
            }
            // A forged state: one failure.
            _ = await onboarding.callback(platform: .instagram, query: ["code": "x", "state": "forged"])
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            let text = String(decoding: buffer, as: UTF8.self)
            let lines = text.split(separator: "\n").map(String.init)
            func value(_ prefix: String) -> Double? {
                lines.first { $0.hasPrefix(prefix) }.flatMap { $0.split(separator: " ").last.flatMap { Double($0) } }
            }
            #expect(value(#"woodstock_oauth_started{platform="instagram"}"#) == 1)
            #expect(value(#"woodstock_oauth_succeeded{platform="instagram"}"#) == 1)
            let failed = lines.filter {
                $0.hasPrefix("woodstock_oauth_failed{") && $0.contains(#"platform="instagram""#)
            }
            let failures: [Double] = failed.compactMap { line in line.split(separator: " ").last.flatMap { Double($0) }
            }
            #expect(failures.reduce(0, +) == 1)
        }
    }
}
