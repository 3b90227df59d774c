public import Hummingbird

/// The request context of server-rendered pages: Hummingbird's core context plus the session and the
/// parsed form that ``SessionGuard`` attached.
///
/// Make a page group from the app's router: `router.group("admin", context: PageRequestContext.self)`.
public struct PageRequestContext: ChildRequestContext {
    /// The parent context pages are made from.
    public typealias ParentContext = BasicRequestContext

    /// Hummingbird's per-request storage (logger, parameters).
    public var coreContext: CoreRequestContextStorage
    /// The request's valid session, or `nil` (only on public paths: the guard redirects otherwise).
    public var session: WebSession?
    /// The parsed form of an unsafe request (the guard read it to check the CSRF token); empty otherwise.
    public var form: WebForm

    /// Creates the context from the router's basic context.
    /// - Parameter context: The parent context.
    public init(context: BasicRequestContext) {
        self.coreContext = context.coreContext  // keeps the router's path parameters
        self.session = nil
        self.form = WebForm(parsing: "")
    }

    /// The session, or a thrown `401` for a route that was mounted without a guard by mistake.
    /// - Returns: The session.
    /// - Throws: `HTTPError(.unauthorized)`.
    public func requireSession() throws -> WebSession {
        guard let session, !session.isAnonymous else { throw HTTPError(.unauthorized) }
        return session
    }
}
