import Foundation
import HTTPTypes
import Hummingbird
import Store
import Testing
import Web

@testable import Accounts
@testable import Relay

@Suite struct OnboardingPageTests {
    /// Collects a response body (pages are small and complete).
    final class BodyBox: @unchecked Sendable {
        // Invariant: written by one writer at a time, read after `write` returned.
        var text = ""
    }

    struct Collector: ResponseBodyWriter {
        let box: BodyBox
        mutating func write(_ buffer: ByteBuffer) async throws { box.text += String(buffer: buffer) }
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }

    static func body(_ response: Response) async throws -> String {
        let box = BodyBox()
        try await response.body.write(Collector(box: box))
        return box.text
    }

    @Test(arguments: OnboardingFailure.Reason.allCases)
    func failurePage(_ reason: OnboardingFailure.Reason) async throws {
        let renderer = try TenantWeb.makeRenderer()
        let failure = OnboardingFailure(reason: reason, tenantID: nil, message: "Reason <\(reason.rawValue)> & more")
        let response = OnboardingRoutes.page(for: .failed(failure), platform: .instagram, renderer: renderer)
        #expect(response.status.code == failure.httpStatus)
        #expect(response.headers[.contentType] == "text/html; charset=utf-8")
        let html = try await Self.body(response)
        let (_, title, _, _) = OnboardingRoutes.content(for: .failed(failure), platform: .instagram)
        #expect(html.contains("<h1>\(PageResponse.escape(title))</h1>"))
        #expect(html.contains("Reason &lt;\(reason.rawValue)&gt; &amp; more"))
        #expect(!html.contains("<\(reason.rawValue)>"))
        #expect(html.contains("/tenant/onboarding/connect"))
    }

    @Test("every failure reason has its own heading")
    func distinctTitles() {
        let titles = Set(
            [
                OnboardingFailure.Reason.missingState, .expiredState, .replayedState, .denied, .missingScope,
                .accountTaken, .exchangeFailed, .unavailable,
            ].map { reason in
                OnboardingRoutes.content(
                    for: .failed(OnboardingFailure(reason: reason, tenantID: nil, message: "m")), platform: .instagram
                ).1
            })
        #expect(titles.count == 8)
    }

    @Test("a connected account shows the success page with the way to step 3")
    func connectedPage() async throws {
        let account = ConnectedAccount(
            tenantID: TenantID.random(), integrationID: IntegrationID.random(), platform: .instagram,
            accountID: "17841400000000001", accountName: "shop<script>", expiresAt: nil)
        let response = OnboardingRoutes.page(
            for: .connected(account), platform: .instagram, renderer: try TenantWeb.makeRenderer())
        #expect(response.status == .ok)
        let html = try await Self.body(response)
        #expect(html.contains("Your Instagram account @shop&lt;script&gt; is connected."))
        #expect(html.contains("/tenant/onboarding/persona"))
    }
}
