import Foundation
public import Hummingbird
import Logging
import Store

extension TenantWeb {
    func addOnboardingRoutes(to group: RouterGroup<PageRequestContext>) {
        group.get("onboarding/connect") { request, context in try await connectStep(request, context) }
        group.get("onboarding/persona") { request, context in try await personaStep(request, context) }
    }

    func connectStep(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let session = try tenantSession(context)
        guard let overview = try await portal.overview(tenantID: session.tenantID) else {
            return PageResponse.status(.notFound, message: "This account no longer exists.")
        }
        var values = Self.overviewContext(overview)
        values["step2"] = true
        let notice = Self.notice(request)
        return page(
            "onboarding-connect", title: "Connect your accounts", context: values,
            chrome: chrome(session, path: "/tenant/onboarding/connect", notice: notice?.0, isError: notice?.1 ?? false))
    }

    func personaStep(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let session = try tenantSession(context)
        guard let overview = try await portal.overview(tenantID: session.tenantID) else {
            return PageResponse.status(.notFound, message: "This account no longer exists.")
        }
        var values = Self.overviewContext(overview)
        values["step3"] = true
        let notice = Self.notice(request)
        return page(
            "onboarding-persona", title: "Configure your assistant", context: values,
            chrome: chrome(session, path: "/tenant/onboarding/persona", notice: notice?.0, isError: notice?.1 ?? false))
    }

    /// The page the OAuth callback (`/auth/<platform>/callback`) shows: connected, or why not, with the way on.
    /// - Parameters:
    ///   - renderer: a renderer with ``templates``.
    ///   - isConnected: whether the account was connected.
    ///   - title: the heading.
    ///   - message: the sentence for the tenant (escaped).
    ///   - status: the HTTP status.
    /// - Returns: the response; a plain page if rendering fails.
    public static func callbackPage(
        renderer: PageRenderer, isConnected: Bool, title: String, message: String, status: HTTPResponse.Status
    ) -> Response {
        let context: [String: Any] = [
            "connected": isConnected, "heading": title, "message": message, "step2": true,
            "next": isConnected ? "/tenant/onboarding/persona" : "/tenant/onboarding/connect",
            "nextLabel": isConnected ? "Next: configure your assistant" : "Back to connecting",
        ]
        do {
            return try renderer.page(
                "onboarding-result", title: title, context: context, chrome: PageChrome(section: "Get started"),
                status: status)
        } catch {
            return PageResponse.status(status, message: message)
        }
    }
}
