import Foundation
import HTTPTypes
public import Hummingbird
import Logging

/// Middleware for a group of pages: loads the session from the cookie, redirects requests without a valid
/// session to the login page, and refuses unsafe requests (POST, PUT, PATCH, DELETE) whose CSRF token is
/// missing or wrong.
///
/// - A public path (the login page) passes with whatever session it has, possibly none; a POST to it still
///   needs a session (an anonymous one, created when the login form is shown) and its CSRF token.
/// - Any other path needs a session that is not anonymous and that `isAllowed` accepts; otherwise a `GET`
///   gets `303` to `loginPath?next=<path>` and any other method gets `303` to `loginPath`.
/// - Every unsafe request needs the session's token in the form field `_csrf` or the header
///   `X-CSRF-Token`, or it gets `403` and the handler never runs. The parsed form is in
///   ``PageRequestContext/form``.
///
/// ```swift
/// let pages = router.group("admin", context: PageRequestContext.self)
///     .add(middleware: SessionGuard(store: sessions, cookie: cookie, loginPath: "/admin/login",
///                                   publicPaths: ["/admin/login"]) { $0.subject == "admin" })
/// ```
public struct SessionGuard: RouterMiddleware {
    /// The context the guarded routes use.
    public typealias Context = PageRequestContext

    /// Where sessions live.
    public let store: SessionStore
    /// The cookie carrying the session id.
    public let cookie: SessionCookie
    /// The login page (absolute path).
    public let loginPath: String
    /// Paths (absolute) reachable without signing in.
    public let publicPaths: Set<String>
    private let isAllowed: @Sendable (WebSession) -> Bool

    /// Creates the guard.
    /// - Parameters:
    ///   - store: Where sessions live.
    ///   - cookie: The cookie carrying the session id.
    ///   - loginPath: The login page (absolute path).
    ///   - publicPaths: Paths reachable without signing in (the login page itself).
    ///   - isAllowed: Whether a signed-in session may use these pages (admin pages: `subject == "admin"`).
    public init(
        store: SessionStore, cookie: SessionCookie, loginPath: String, publicPaths: Set<String> = [],
        isAllowed: @escaping @Sendable (WebSession) -> Bool
    ) {
        self.store = store
        self.cookie = cookie
        self.loginPath = loginPath
        self.publicPaths = publicPaths.union([loginPath])
        self.isAllowed = isAllowed
    }

    /// Loads the session, then redirects, refuses, or calls the route.
    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var request = request
        var context = context
        if let id = cookie.sessionID(in: request) {
            context.session = try await store.session(id: id)
        }
        let path = request.uri.path
        let isPublic = publicPaths.contains(path)
        if !isPublic {
            guard let session = context.session, !session.isAnonymous, isAllowed(session) else {
                if request.method == .get || request.method == .head {
                    let next = path + (request.uri.query.map { "?\($0)" } ?? "")
                    return PageResponse.redirect(to: loginPath + "?next=" + Self.percentEncode(next))
                }
                return PageResponse.redirect(to: loginPath)
            }
        }
        if Self.isUnsafe(request.method) {
            context.form = try await WebForm.read(from: &request)
            let submitted = context.form[CSRFToken.fieldName] ?? request.headers[Self.csrfHeader]
            guard let session = context.session, CSRFToken.isValid(submitted, for: session) else {
                context.logger.notice("csrf check failed", metadata: ["http.path": "\(path)"])
                return PageResponse.status(
                    .forbidden, message: "This form has expired or did not come from this site. Reload and try again.")
            }
        }
        return try await next(request, context)
    }

    private static let csrfHeader = HTTPField.Name(CSRFToken.headerName) ?? .authorization

    private static func isUnsafe(_ method: HTTPRequest.Method) -> Bool {
        method == .post || method == .put || method == .patch || method == .delete
    }

    private static func percentEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "/-_.~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "/"
    }
}
