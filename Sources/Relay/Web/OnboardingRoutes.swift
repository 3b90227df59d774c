import Accounts
import CryptoCore
import Foundation
import Hummingbird
import Logging
import Store
import Web

/// The OAuth routes: `POST /auth/{instagram|facebook}/start` (operator-authenticated) returns the
/// authorize URL; `GET /auth/{instagram|facebook}/callback` finishes the connection and shows a page.
struct OnboardingRoutes: Sendable {
    let onboarding: OnboardingService
    let adminToken: String?
    let logger: Logger
    /// The onboarding templates; `nil` falls back to plain pages.
    var renderer: PageRenderer? = try? TenantWeb.makeRenderer()

    func add(to router: Router<BasicRequestContext>) {
        router.post("auth/:platform/start") { request, context in try await start(request, context) }
        router.get("auth/:platform/callback") { request, context in await callback(request, context) }
    }

    /// Until tenants log in (the dashboard issue), starting a connection needs the operator's token.
    private func start(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        guard let adminToken, !adminToken.isEmpty,
            let header = request.headers[.authorization], header.hasPrefix("Bearer "),
            ConstantTime.equals(String(header.dropFirst(7)), adminToken)
        else { return Self.text(.unauthorized, "unauthorized\n") }
        guard let platform = context.parameters.get("platform").flatMap(ConnectPlatform.init(rawValue:)) else {
            return Self.text(.notFound, "unknown platform\n")
        }
        guard let tenantText = request.uri.queryParameters.get("tenant"), let tenantID = TenantID(tenantText) else {
            return Self.text(.badRequest, "tenant query parameter must be a tenant id\n")
        }
        do {
            let url = try await onboarding.start(tenantID: tenantID, platform: platform)
            let body = try JSONSerialization.data(
                withJSONObject: ["authorize_url": url], options: [.withoutEscapingSlashes])
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: Array(body))))
        } catch let error as AccountsError {
            return Self.text(.badRequest, "\(error.message ?? "cannot start")\n")
        }
    }

    private func callback(_ request: Request, _ context: BasicRequestContext) async -> Response {
        guard let platform = context.parameters.get("platform").flatMap(ConnectPlatform.init(rawValue:)) else {
            return Self.text(.notFound, "unknown platform\n")
        }
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        let outcome = await onboarding.callback(platform: platform, query: query)
        return Self.page(for: outcome, platform: platform, renderer: renderer)
    }

    /// The page for an OAuth outcome: the onboarding template (step 2) with a heading per failure reason, or
    /// a plain page when no renderer is available.
    static func page(for outcome: OnboardingOutcome, platform: ConnectPlatform, renderer: PageRenderer?) -> Response {
        let (connected, title, message, status) = content(for: outcome, platform: platform)
        guard let renderer else { return PageResponse.status(status, message: message) }
        return TenantWeb.callbackPage(
            renderer: renderer, isConnected: connected, title: title, message: message, status: status)
    }

    static func content(
        for outcome: OnboardingOutcome, platform: ConnectPlatform
    ) -> (Bool, String, String, HTTPResponse.Status) {
        switch outcome {
        case .connected(let account):
            let name = account.accountName.map { "@\($0)" } ?? account.accountID
            let what = platform == .instagram ? "Instagram account" : "Facebook Page"
            return (
                true, "Connected",
                "Your \(what) \(name) is connected. Your assistant now answers its direct messages.", .ok
            )
        case .failed(let failure):
            let title: String =
                switch failure.reason {
                case .missingState, .invalidState: "This link is not valid"
                case .expiredState: "This login expired"
                case .replayedState: "This link was already used"
                case .denied: "Connection declined"
                case .missingScope: "Permissions missing"
                case .accountTaken: "Account already connected"
                case .exchangeFailed, .subscribeFailed: "Not connected"
                case .unavailable: "Please try again later"
                }
            return (false, title, failure.message, HTTPResponse.Status(code: failure.httpStatus))
        }
    }

    private static func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
