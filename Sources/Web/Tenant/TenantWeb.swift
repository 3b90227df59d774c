import Foundation
public import Hummingbird
public import Logging
public import Store

/// The tenant's pages under `/tenant`: login (password or e-mailed magic link), sign-up (onboarding step 1),
/// connect (step 2) and persona (step 3), the tenant page, billing CSVs and the inbox with live updates and
/// take over / hand back. Every page and API reads the tenant id from the session only, so a tenant never
/// sees another tenant's data (an id from another tenant is answered `404`).
///
/// ```swift
/// let web = TenantWeb(login: login, portal: portal, inbox: inbox, connect: { tenant, platform in
///     try await onboarding.start(tenantID: tenant, platform: platform) }, sessions: sessions,
///     renderer: try TenantWeb.makeRenderer(), logger: logger)
/// web.add(to: router)
/// ```
public struct TenantWeb: Sendable {
    /// Starts an OAuth connection for the tenant and returns the authorize URL (`instagram` or `facebook`).
    public typealias Connect = @Sendable (_ tenantID: TenantID, _ platform: String) async throws -> String

    let login: TenantLoginService
    let portal: TenantPortal
    let inbox: InboxService
    let connect: Connect
    let sessions: SessionStore
    let cookie: SessionCookie
    let renderer: PageRenderer
    let publicURL: String
    let liveUpdateInterval: Duration
    let liveStreamLifetime: Duration
    let logger: Logger

    /// The login page.
    public static let loginPath = "/tenant/login"
    /// Paths reachable without a signed-in session.
    public static let publicPaths: Set<String> = [
        "/tenant/login", "/tenant/login/password", "/tenant/login/magic", "/tenant/signup", "/tenant/inbox.js",
    ]

    /// Creates the pages.
    /// - Parameters:
    ///   - login: tenant logins.
    ///   - portal: the tenant page's data.
    ///   - inbox: the inbox.
    ///   - connect: starts an OAuth connection (Accounts' onboarding service).
    ///   - sessions: the tenant session store (its own key prefix).
    ///   - cookie: the session cookie (`woodstock_tenant`, path `/tenant` by default).
    ///   - renderer: a renderer with ``templates`` (see ``makeRenderer()``).
    ///   - publicURL: the relay's public base URL (magic links).
    ///   - liveUpdateInterval: how often the live-update stream looks for changes.
    ///   - liveStreamLifetime: how long one live-update stream stays open before the browser reconnects.
    ///   - logger: ids only.
    public init(
        login: TenantLoginService, portal: TenantPortal, inbox: InboxService, connect: @escaping Connect,
        sessions: SessionStore, cookie: SessionCookie = SessionCookie(name: "woodstock_tenant", path: "/tenant"),
        renderer: PageRenderer, publicURL: String, liveUpdateInterval: Duration = .seconds(1),
        liveStreamLifetime: Duration = .seconds(300), logger: Logger
    ) {
        self.login = login
        self.portal = portal
        self.inbox = inbox
        self.connect = connect
        self.sessions = sessions
        self.cookie = cookie
        self.renderer = renderer
        self.publicURL = publicURL
        self.liveUpdateInterval = liveUpdateInterval
        self.liveStreamLifetime = liveStreamLifetime
        self.logger = logger
    }

    /// Adds every `/tenant` route to `router`, behind a ``SessionGuard`` that admits tenant sessions only.
    /// - Parameter router: the application's router.
    public func add(to router: Router<BasicRequestContext>) {
        let group = router.group("tenant", context: PageRequestContext.self)
            .add(
                middleware: SessionGuard(
                    store: sessions, cookie: cookie, loginPath: Self.loginPath, publicPaths: Self.publicPaths
                ) { TenantSession($0) != nil })
        addLoginRoutes(to: group)
        addOverviewRoutes(to: group)
        addInboxRoutes(to: group)
        addOnboardingRoutes(to: group)
    }

    /// The chrome of signed-in tenant pages.
    func chrome(_ session: TenantSession, path: String, notice: String? = nil, isError: Bool = false) -> PageChrome {
        PageChrome(
            section: "Your account",
            navigation: [
                .init(label: "Overview", href: "/tenant"), .init(label: "Inbox", href: "/tenant/inbox"),
            ],
            userLabel: session.email, signOutPath: "/tenant/logout", csrfToken: session.session.csrfToken,
            notice: notice, noticeIsError: isError
        ).current(path)
    }

    /// The path segment at `index` (`/tenant/inbox/<id>` → index 2). Ids are read from the path itself:
    /// ``PageRequestContext`` does not carry the router's path parameters over from the parent context.
    static func segment(_ request: Request, _ index: Int) -> String? {
        let parts = request.uri.path.split(separator: "/", omittingEmptySubsequences: true)
        return parts.count > index ? String(parts[index]) : nil
    }

    /// The signed-in tenant session of the request (the guard admitted only those).
    func tenantSession(_ context: PageRequestContext) throws -> TenantSession {
        guard let session = TenantSession(try context.requireSession()) else { throw HTTPError(.unauthorized) }
        return session
    }

    /// A page, or a bare 500 whose detail goes to the log.
    func page(
        _ name: String, title: String, context: [String: Any], chrome: PageChrome, status: HTTPResponse.Status = .ok
    ) -> Response {
        do {
            return try renderer.page(name, title: title, context: context, chrome: chrome, status: status)
        } catch {
            logger.error("tenant page failed", metadata: ["page": "\(name)", "error": "\(error)"])
            return PageResponse.status(.internalServerError, message: "Something went wrong. Please try again.")
        }
    }

    /// A `303` to an external URL (the OAuth authorize page), which ``PageResponse/redirect(to:)`` refuses.
    static func externalRedirect(_ url: String) -> Response {
        var headers = PageResponse.securityHeaders
        headers[.location] = url
        return Response(status: .seeOther, headers: headers)
    }

    /// The `303` after a form post, with a one-line notice in the query.
    static func redirect(_ path: String, notice: String? = nil, isError: Bool = false) -> Response {
        guard let notice else { return PageResponse.redirect(to: path) }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_.~")
        let text = notice.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        return PageResponse.redirect(to: path + "?\(isError ? "error" : "notice")=" + text)
    }

    /// The notice a redirect carried (`?notice=` or `?error=`), if any.
    static func notice(_ request: Request) -> (String, Bool)? {
        if let text = request.uri.queryParameters.get("error") { return (String(text.prefix(300)), true) }
        if let text = request.uri.queryParameters.get("notice") { return (String(text.prefix(300)), false) }
        return nil
    }
}
