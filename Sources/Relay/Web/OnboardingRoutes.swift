import Accounts
import CryptoCore
import Foundation
import Hummingbird
import Logging
import Store

/// The OAuth routes: `POST /auth/{instagram|facebook}/start` (operator-authenticated) returns the
/// authorize URL; `GET /auth/{instagram|facebook}/callback` finishes the connection and shows a page.
struct OnboardingRoutes: Sendable {
    let onboarding: OnboardingService
    let adminToken: String?
    let logger: Logger

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
        switch await onboarding.callback(platform: platform, query: query) {
        case .connected(let account):
            let name = account.accountName.map { "@\($0)" } ?? account.accountID
            return Self.page(
                .ok, title: "Connected",
                body: "Your \(platform.rawValue) account \(name) is connected. "
                    + "Your assistant now answers its direct messages.")
        case .failed(let failure):
            return Self.page(
                HTTPResponse.Status(code: failure.httpStatus), title: "Not connected", body: failure.message)
        }
    }

    private static func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private static func page(_ status: HTTPResponse.Status, title: String, body: String) -> Response {
        let html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1"><title>\(escape(title))</title>
            <style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}</style>
            </head><body><h1>\(escape(title))</h1><p>\(escape(body))</p></body></html>
            """
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// Escapes text for HTML element content and attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
