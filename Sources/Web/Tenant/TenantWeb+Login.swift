import Foundation
import Hummingbird
import Logging
import Store

extension TenantWeb {
    func addLoginRoutes(to group: RouterGroup<PageRequestContext>) {
        group.get("login") { request, context in try await loginPage(request, context) }
        group.post("login/password") { request, context in try await passwordLogin(request, context) }
        group.post("login/magic") { request, context in try await requestMagicLink(request, context) }
        group.get("login/magic") { request, context in try await magicLogin(request, context) }
        group.post("logout") { request, context in try await logout(request, context) }
        group.get("signup") { request, context in try await signupPage(request, context, error: nil) }
        group.post("signup") { request, context in try await signup(request, context) }
    }

    /// The session a public form posts with: the request's own, or a new anonymous one (cookie to set).
    func formSession(_ request: Request, _ context: PageRequestContext) async throws -> (WebSession, Cookie?) {
        if let session = context.session { return (session, nil) }
        let session = try await sessions.create(subject: WebSession.anonymousSubject, lifetime: .seconds(3_600))
        return (session, cookie.cookie(for: session, request: request))
    }

    func loginPage(
        _ request: Request, _ context: PageRequestContext, error: String? = nil, notice: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let (session, newCookie) = try await formSession(request, context)
        let next = request.uri.queryParameters.get("next").map { String($0) } ?? context.form["next"] ?? "/tenant"
        var response = page(
            "tenant-login", title: "Log in",
            context: [
                "csrf": session.csrfToken, "next": PageResponse.isLocalPath(next) ? next : "/tenant",
                "canSendMagicLinks": login.canSendMagicLinks, "email": context.form["email"] ?? "",
            ],
            chrome: PageChrome(section: "Your account", notice: error ?? notice, noticeIsError: error != nil),
            status: status)
        if let newCookie { response.setCookie(newCookie) }
        return response
    }

    func passwordLogin(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let email = context.form["email"] ?? ""
        let user: TenantUser?
        do {
            user = try await login.logIn(email: email, password: context.form["password"] ?? "")
        } catch let refusal as LoginRefusal {
            return try await throttledPage(request, context, refusal, what: "failed logins")
        }
        guard let user else {
            return try await loginPage(
                request, context, error: "Wrong e-mail address or password.", status: .unauthorized)
        }
        let next = context.form["next"].flatMap { PageResponse.isLocalPath($0) && $0.hasPrefix("/tenant") ? $0 : nil }
        return try await signIn(user, request, context, next: next ?? "/tenant")
    }

    func requestMagicLink(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        do {
            try await login.requestMagicLink(email: context.form["email"] ?? "", publicURL: publicURL)
        } catch let refusal as LoginRefusal {
            return try await throttledPage(request, context, refusal, what: "login links requested")
        } catch {
            logger.error("magic link not sent", metadata: ["error": "\(error)"])
            return try await loginPage(
                request, context, error: "We could not send the e-mail right now. Please try again.",
                status: .serviceUnavailable)
        }
        return try await loginPage(
            request, context,
            notice: "If this address has an account, a login link is on its way. It works once, for 15 minutes.")
    }

    /// 429 with `Retry-After`, on the login page.
    func throttledPage(
        _ request: Request, _ context: PageRequestContext, _ refusal: LoginRefusal, what: String
    ) async throws -> Response {
        let minutes = max(1, (refusal.retryAfterSeconds + 59) / 60)
        var response = try await loginPage(
            request, context,
            error: "Too many \(what) for this address. Try again in \(minutes) minute\(minutes == 1 ? "" : "s").",
            status: .tooManyRequests)
        response.headers[.retryAfter] = String(refusal.retryAfterSeconds)
        return response
    }

    func magicLogin(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let token = request.uri.queryParameters.get("token").map { String($0) } ?? ""
        guard let user = try await login.logIn(magicToken: token) else {
            return try await loginPage(
                request, context, error: "This login link is invalid, was already used or has expired.",
                status: .unauthorized)
        }
        return try await signIn(user, request, context, next: "/tenant")
    }

    /// Rotates the session to a signed-in one (new id) and redirects.
    func signIn(_ user: TenantUser, _ request: Request, _ context: PageRequestContext, next: String) async throws
        -> Response
    {
        let session = try await sessions.rotate(
            context.session, subject: TenantSession.subject(user.tenantID), attributes: TenantSession.attributes(user))
        var response = PageResponse.redirect(to: next)
        response.setCookie(cookie.cookie(for: session, request: request))
        return response
    }

    func logout(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        if let session = context.session { try await sessions.destroy(id: session.id) }
        var response = PageResponse.redirect(to: Self.loginPath)
        response.setCookie(cookie.expiredCookie(request: request))
        return response
    }

    func signupPage(
        _ request: Request, _ context: PageRequestContext, error: String?, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let (session, newCookie) = try await formSession(request, context)
        let chosen = context.form["tier"] ?? Tier.starter.rawValue
        var response = page(
            "onboarding-account", title: "Create your account",
            context: [
                "csrf": session.csrfToken, "name": context.form["name"] ?? "", "email": context.form["email"] ?? "",
                "tiers": Self.tierChoices(chosen: chosen), "step1": true,
            ],
            chrome: PageChrome(section: "Get started", notice: error, noticeIsError: error != nil), status: status)
        if let newCookie { response.setCookie(newCookie) }
        return response
    }

    func signup(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let form = context.form
        guard let tier = Tier(rawValue: form["tier"] ?? "") else {
            return try await signupPage(request, context, error: "Choose a plan.", status: .badRequest)
        }
        let password = form["password"].flatMap { $0.isEmpty ? nil : $0 }
        do {
            let user = try await login.signUp(
                name: form["name"] ?? "", email: form["email"] ?? "", tier: tier, password: password)
            return try await signIn(user, request, context, next: "/tenant/onboarding/connect")
        } catch let error as StoreError where error.code == .invalidValue || error.code == .conflict {
            return try await signupPage(
                request, context, error: error.message ?? "Please check the form.", status: .badRequest)
        }
    }

    static func tierChoices(chosen: String) -> [[String: Any]] {
        [
            ["value": "starter", "label": "Starter — 1,000 messages a month, Instagram"],
            ["value": "professional", "label": "Professional — 10,000 messages a month, Instagram, Facebook, webchat"],
            ["value": "enterprise", "label": "Enterprise — unlimited"],
        ].map { choice in
            var choice: [String: Any] = choice
            choice["checked"] = (choice["value"] as? String) == chosen
            return choice
        }
    }
}
