import Billing
import CryptoCore
public import Foundation
public import Hummingbird
public import Jobs
public import Logging
public import Redis
public import Store

/// The operator dashboard at `/admin`: tenants, queues with a throughput chart, the dead set with
/// retry/delete, the schedule and the audit log, behind a password login.
///
/// Every page needs a signed-in admin session (``SessionGuard``); every form carries the session's CSRF
/// token; every action (sign-in, failed sign-in, sign-out, retry, delete, pause, resume) is written to the
/// audit log with the actor `admin:web`.
///
/// ```swift
/// let site = try AdminSite(
///     configuration: AdminConfiguration(passwordHash: hash), redis: redis, repositories: repositories,
///     crontab: try Crontab.load(path: "crontab"), logger: logger)
/// site.add(to: router)
/// ```
public struct AdminSite: Sendable {
    /// The actor written to the audit log for dashboard actions.
    public static let actor = "admin:web"
    /// The session subject of a signed-in operator.
    public static let subject = "admin"

    let configuration: AdminConfiguration
    let redis: RedisClient
    let repositories: Repositories
    /// Where the read-only pages (tenants, audit log) query; `nil`: the primary, through `repositories`.
    let reads: (any ReadOnlyPostgres)?
    let crontab: Crontab?
    let queues: JobQueueAdmin
    let meter: UsageMeter
    let sessions: SessionStore
    let cookie: SessionCookie
    let renderer: PageRenderer
    let logger: Logger
    let now: @Sendable () -> Date

    /// Creates the dashboard.
    /// - Parameters:
    ///   - configuration: Password hash and session settings.
    ///   - redis: The Redis client (queues, sessions, usage counters).
    ///   - repositories: The Store repositories (tenants, integrations, audit log) on the primary.
    ///   - reads: Where the read-only pages (tenants, audit log) query, e.g. a PostgreSQL replica with fallback to
    ///     the primary (`DATABASE_REPLICA_URL`); `nil` reads through `repositories`. Writes (the audit rows of
    ///     the dashboard's own actions) always go to `repositories`.
    ///   - crontab: The schedule to show, or `nil` when there is none.
    ///   - logger: Where failures are logged (never a password or session id).
    ///   - now: The clock (tests move it to expire sessions).
    /// - Throws: ``WebError`` `.templateInvalid` for a broken template, `.badRequest` for a malformed
    ///   password hash.
    public init(
        configuration: AdminConfiguration, redis: RedisClient, repositories: Repositories,
        reads: (any ReadOnlyPostgres)? = nil, crontab: Crontab?, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        guard PasswordHash.isWellFormed(configuration.passwordHash) else {
            throw WebError(.badRequest, message: "WOODSTOCK_ADMIN_PASSWORD_HASH is not a pbkdf2-sha256 hash")
        }
        self.configuration = configuration
        self.redis = redis
        self.repositories = repositories
        self.reads = reads
        self.crontab = crontab
        self.queues = JobQueueAdmin(redis: redis)
        self.meter = UsageMeter(redis: redis)
        self.sessions = SessionStore(
            redis: redis, keyPrefix: configuration.sessionKeyPrefix, lifetime: configuration.sessionLifetime, now: now)
        self.cookie = SessionCookie(name: "woodstock_admin", path: "/admin", security: configuration.cookieSecurity)
        self.renderer = try PageRenderer(templates: AdminTemplates.all)
        self.logger = logger
        self.now = now
    }

    /// Runs a read-only page's queries where ``reads`` says (the replica when there is one), else on the primary.
    func readRepositories<T: Sendable>(_ body: (Repositories) async throws -> T) async throws -> T {
        guard let reads else { return try await body(repositories) }
        return try await reads.readRepositories(body)
    }

    /// Adds every `/admin` route to the router.
    /// - Parameter router: The application's router.
    public func add(to router: Router<BasicRequestContext>) {
        router.get("admin") { _, _ in PageResponse.redirect(to: "/admin/queues") }
        let pages = router.group("admin", context: PageRequestContext.self)
            .add(
                middleware: SessionGuard(store: sessions, cookie: cookie, loginPath: "/admin/login") {
                    $0.subject == Self.subject
                })
        pages.get("login") { request, context in try await showLogin(request, context) }
        pages.post("login") { request, context in try await login(request, context) }
        pages.post("logout") { request, context in try await logout(request, context) }
        pages.get("queues") { request, context in try await queuesPage(request, context) }
        pages.post("queues/pause") { request, context in try await pauseQueue(request, context, pause: true) }
        pages.post("queues/resume") { request, context in try await pauseQueue(request, context, pause: false) }
        pages.get("dead") { request, context in try await deadPage(request, context) }
        pages.post("dead/retry") { request, context in try await deadAction(request, context, retry: true) }
        pages.post("dead/delete") { request, context in try await deadAction(request, context, retry: false) }
        pages.get("tenants") { request, context in try await tenantsPage(request, context) }
        pages.get("schedule") { request, context in try await schedulePage(request, context) }
        pages.get("audit") { request, context in try await auditPage(request, context) }
    }

    /// The navigation and user box of every signed-in page.
    func chrome(_ context: PageRequestContext, path: String, notice: String? = nil, isError: Bool = false)
        -> PageChrome
    {
        PageChrome(
            section: "Operator",
            navigation: [
                .init(label: "Queues", href: "/admin/queues"), .init(label: "Dead", href: "/admin/dead"),
                .init(label: "Tenants", href: "/admin/tenants"), .init(label: "Schedule", href: "/admin/schedule"),
                .init(label: "Audit log", href: "/admin/audit"),
            ],
            userLabel: "admin", signOutPath: "/admin/logout", csrfToken: context.session?.csrfToken, notice: notice,
            noticeIsError: isError
        ).current(path)
    }

    /// Records an admin action; a failure to record is logged, never shown.
    func audit(_ action: String, tenantID: TenantID? = nil, details: [String: String] = [:]) async {
        do {
            try await repositories.audit.record(
                AuditEntry(actor: Self.actor, tenantID: tenantID, action: action, details: details))
        } catch {
            logger.error("audit write failed", metadata: ["audit.action": "\(action)", "error": "\(error)"])
        }
    }

    /// Runs a page handler, turning unexpected errors into a bare 500 (the detail goes to the log).
    func guarded(_ name: String, _ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch {
            logger.error("admin page failed", metadata: ["admin.page": "\(name)", "error": "\(error)"])
            return PageResponse.status(.internalServerError, message: "Something went wrong; see the server log.")
        }
    }
}
