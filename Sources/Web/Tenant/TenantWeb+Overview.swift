import Billing
import Foundation
import Hummingbird
import Logging
import Store

extension TenantWeb {
    func addOverviewRoutes(to group: RouterGroup<PageRequestContext>) {
        group.get("") { request, context in try await overviewPage(request, context) }
        group.post("connect/:platform") { request, context in try await startConnect(request, context) }
        group.post("persona") { request, context in try await savePersona(request, context) }
        group.post("password") { request, context in try await savePassword(request, context) }
        group.get("billing/:period") { request, context in try await billingCSV(request, context) }
    }

    func overviewPage(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let session = try tenantSession(context)
        guard let overview = try await portal.overview(tenantID: session.tenantID) else {
            return PageResponse.status(.notFound, message: "This account no longer exists.")
        }
        let notice = Self.notice(request)
        return page(
            "tenant-overview", title: overview.tenant.name, context: Self.overviewContext(overview),
            chrome: chrome(session, path: "/tenant", notice: notice?.0, isError: notice?.1 ?? false))
    }

    static func overviewContext(_ overview: TenantOverview) -> [String: Any] {
        let instagram = overview.accounts.first { $0.integration.platform == .instagram }
        let facebook = overview.accounts.first { $0.integration.platform == .facebook }
        return [
            "name": overview.tenant.name, "tier": overview.tenant.tier.rawValue,
            "accounts": overview.accounts.map(accountContext), "hasAccounts": !overview.accounts.isEmpty,
            "instagramLabel": instagram == nil ? "Connect Instagram" : "Reconnect Instagram",
            "canConnectFacebook": overview.canConnectFacebook,
            "facebookLabel": facebook == nil ? "Connect a Facebook Page" : "Reconnect the Facebook Page",
            "period": overview.period.description, "answered": overview.answered,
            "limit": overview.limit.map { "\($0)" } ?? "unlimited", "isLimited": overview.limit != nil,
            "percent": overview.percentUsed ?? 0, "isNearLimit": (overview.percentUsed ?? 0) >= 80,
            "notices": overview.notices.map {
                ["kind": noticeText($0.kind), "period": $0.period, "at": day($0.createdAt)]
            },
            "hasNotices": !overview.notices.isEmpty,
            "periods": overview.closedPeriods.map { ["period": $0.description] },
            "hasPeriods": !overview.closedPeriods.isEmpty,
            "personaName": overview.tenant.persona.name ?? "",
            "personaInstructions": overview.tenant.persona.instructions ?? "",
        ]
    }

    static func accountContext(_ account: TenantOverview.Account) -> [String: Any] {
        let integration = account.integration
        let expiry: String =
            switch account.daysToExpiry {
            case nil: "does not expire"
            case let days? where days < 0: "expired"
            case let days?: "expires in \(days) day\(days == 1 ? "" : "s")"
            }
        return [
            "platform": integration.platform.rawValue, "name": integration.accountName ?? integration.accountID,
            "status": integration.status.rawValue, "isActive": integration.status == .active, "expiry": expiry,
        ]
    }

    static func noticeText(_ kind: String) -> String {
        switch kind {
        case "usage.80": "You used 80 % of this month's messages."
        case "usage.100": "You reached this month's message limit: new messages are stored but not answered."
        case "integration.needs_reauth": "An account must be reconnected: Meta no longer accepts its token."
        case "integration.refresh_failed": "An account's token could not be renewed: reconnect it."
        default: kind
        }
    }

    static func day(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }

    func startConnect(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let session = try tenantSession(context)
        let platform = Self.segment(request, 2) ?? ""
        guard platform == "instagram" || platform == "facebook" else {
            return PageResponse.status(.notFound, message: "Unknown platform.")
        }
        let back = context.form["back"] == "onboarding" ? "/tenant/onboarding/connect" : "/tenant"
        do {
            let url = try await connect(session.tenantID, platform)
            return Self.externalRedirect(url)
        } catch {
            logger.warning(
                "connect not started", metadata: ["tenant.id": "\(session.tenantID)", "error": "\(error)"])
            let message =
                platform == "facebook"
                ? "A Facebook Page cannot be connected on your plan, or Facebook Login is not set up."
                : "Connecting is not possible right now. Please try again later."
            return Self.redirect(back, notice: message, isError: true)
        }
    }

    func savePersona(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let session = try tenantSession(context)
        let back = context.form["back"] == "onboarding" ? "/tenant/onboarding/persona" : "/tenant"
        do {
            _ = try await portal.updatePersona(
                name: context.form["persona_name"] ?? "", instructions: context.form["persona_instructions"] ?? "",
                tenantID: session.tenantID, by: session.email)
        } catch let error as StoreError where error.code == .invalidValue {
            return Self.redirect(back, notice: error.message ?? "Please check the form.", isError: true)
        }
        let done = back == "/tenant" ? "The assistant's persona is saved." : "All set: your assistant is configured."
        return Self.redirect("/tenant", notice: done)
    }

    func savePassword(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let session = try tenantSession(context)
        do {
            try await login.setPassword(
                context.form["password"] ?? "", tenantID: session.tenantID, userID: session.userID)
        } catch let error as StoreError where error.code == .invalidValue {
            return Self.redirect("/tenant", notice: error.message ?? "Please check the form.", isError: true)
        }
        return Self.redirect("/tenant", notice: "Your password is set.")
    }

    func billingCSV(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let session = try tenantSession(context)
        guard let text = Self.segment(request, 2), let period = MeterPeriod(text),
            let csv = try await portal.billingCSV(tenantID: session.tenantID, period: period)
        else { return PageResponse.status(.notFound, message: "There is no bill for this period.") }
        var headers = PageResponse.securityHeaders
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"billing-\(period).csv\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: csv)))
    }
}
