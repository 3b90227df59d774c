import CryptoCore
import Dispatch
import Foundation
import Hummingbird
import Logging
import Redis

extension AdminSite {
    /// `GET /admin/login`: the password form, with an anonymous session carrying its CSRF token.
    func showLogin(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        if let session = context.session, session.subject == Self.subject {
            return PageResponse.redirect(to: "/admin/queues")
        }
        var session = context.session
        if session == nil {
            session = try await sessions.create(subject: WebSession.anonymousSubject, lifetime: .seconds(1800))
        }
        guard let session else { throw WebError(.internalError, message: "no session") }
        let next = request.uri.queryParameters.get("next") ?? "/admin/queues"
        var response = try loginPage(session: session, next: next, error: nil, status: .ok)
        if context.session == nil { response.setCookie(cookie.cookie(for: session, request: request)) }
        return response
    }

    /// `POST /admin/login`: checks the password (the guard already checked the CSRF token), then rotates
    /// the session. Failures are audited and throttled.
    func login(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        guard let anonymous = context.session else { return PageResponse.redirect(to: "/admin/login") }
        let next = context.form["next"].flatMap { PageResponse.isLocalPath($0) ? $0 : nil } ?? "/admin/queues"
        let failureKey = "\(configuration.sessionKeyPrefix)failed:\(Int(now().timeIntervalSince1970 / 60))"
        let failures = (try? await redis.send("GET", failureKey).int) ?? 0
        if failures >= configuration.failedLoginsPerMinute {
            await audit("admin.login_throttled")
            return try loginPage(
                session: anonymous, next: next, error: "Too many failed sign-ins. Wait a minute and try again.",
                status: .tooManyRequests)
        }
        let password = context.form["password"] ?? ""
        let hash = configuration.passwordHash
        let isValid = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: PasswordHash.verify(password: password, against: hash))
            }
        }
        guard isValid else {
            _ = try? await redis.pipeline([RedisCommand("INCR", failureKey), RedisCommand("EXPIRE", failureKey, 120)])
            await audit("admin.login_failed")
            logger.notice("admin sign-in refused")
            return try loginPage(session: anonymous, next: next, error: "Wrong password.", status: .unauthorized)
        }
        let session = try await sessions.rotate(anonymous, subject: Self.subject)
        await audit("admin.login")
        var response = PageResponse.redirect(to: next)
        response.setCookie(cookie.cookie(for: session, request: request))
        return response
    }

    /// `POST /admin/logout`: deletes the session and the cookie.
    func logout(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        if let session = context.session { try await sessions.destroy(id: session.id) }
        await audit("admin.logout")
        var response = PageResponse.redirect(to: "/admin/login")
        response.setCookie(cookie.expiredCookie(request: request))
        return response
    }

    private func loginPage(
        session: WebSession, next: String, error: String?, status: HTTPResponse.Status
    ) throws -> Response {
        try renderer.page(
            "admin-login", title: "Sign in",
            context: [
                "csrf": session.csrfToken, "next": PageResponse.isLocalPath(next) ? next : "/admin/queues",
                "error": error ?? "", "hasError": error != nil,
            ] as [String: Any],
            chrome: PageChrome(section: "Operator"), status: status)
    }
}
