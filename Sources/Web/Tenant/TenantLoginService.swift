public import CryptoCore
public import Foundation
public import HTTP
public import Logging
public import Store

/// How tenant users log in: a magic link e-mailed over SMTP (single-use, 15 minutes) or a password
/// (PBKDF2-SHA256, verified off Swift's cooperative pool). Also creates the first login during onboarding.
///
/// ```swift
/// let login = TenantLoginService(users: users, links: links, mail: mail, logger: logger)
/// try await login.requestMagicLink(email: form["email"], publicURL: settings.publicURL)
/// let user = try await login.logIn(magicToken: query["token"])      // nil: unknown, used or expired
/// ```
/// Thread-safe. Never logs an e-mail's link, a token or a password.
public struct TenantLoginService: Sendable {
    /// Where magic-link e-mails go out.
    public struct Mail: Sendable {
        /// The HTTP client that speaks SMTP.
        public var http: HTTPClient
        /// The SMTP server.
        public var smtp: SMTPConfiguration
        /// The sender address.
        public var from: String

        /// Creates a mail configuration.
        /// - Parameters:
        ///   - http: the client.
        ///   - smtp: the server.
        ///   - from: the sender address.
        public init(http: HTTPClient, smtp: SMTPConfiguration, from: String) {
            self.http = http
            self.smtp = smtp
            self.from = from
        }
    }

    let users: TenantUserRepository
    let tenants: TenantRepository
    let links: MagicLinkStore
    let mail: Mail?
    let passwordIterations: Int
    let logger: Logger
    /// Failed passwords and magic-link requests per address (keys beside the magic links' own).
    public let throttle: LoginThrottle

    /// Creates the service.
    /// - Parameters:
    ///   - users: tenant logins.
    ///   - tenants: tenants (a disabled tenant cannot log in).
    ///   - links: the magic-link store.
    ///   - mail: SMTP delivery, or `nil` (magic links then cannot be sent; passwords still work).
    ///   - passwordIterations: PBKDF2 iterations for new hashes (tests lower it).
    ///   - logger: ids only.
    public init(
        users: TenantUserRepository, tenants: TenantRepository, links: MagicLinkStore, mail: Mail?,
        passwordIterations: Int = PasswordHash.defaultIterations, logger: Logger
    ) {
        self.users = users
        self.tenants = tenants
        self.links = links
        self.mail = mail
        self.passwordIterations = passwordIterations
        self.logger = logger
        throttle = LoginThrottle(redis: links.redis, keyPrefix: links.keyPrefix + ":throttle")
    }

    /// Whether magic links can be e-mailed (SMTP configured).
    public var canSendMagicLinks: Bool { mail != nil }

    /// E-mails a login link when `email` belongs to a user of an active tenant; does nothing otherwise, so the
    /// caller shows the same page either way (no account enumeration). Requests are counted per address, known
    /// or not (``LoginThrottle``): over the limit, ``LoginRefusal`` is thrown before anything is looked up.
    /// - Parameters:
    ///   - email: the address typed in.
    ///   - publicURL: the relay's public base URL (the link is `<publicURL>/tenant/login/magic?token=…`).
    /// - Returns: whether a mail was sent.
    /// - Throws: ``LoginRefusal`` when the address asked too often, an ``HTTPError`` when the SMTP server
    ///   refuses, or a store/Redis error.
    @discardableResult
    public func requestMagicLink(email: String, publicURL: String) async throws -> Bool {
        if let wait = try await throttle.admitMagicLink(email: email) {
            logger.notice("magic link throttled")
            throw LoginRefusal(retryAfterSeconds: wait)
        }
        guard let mail, let user = try await users.findForLogin(email: email),
            let tenant = try await tenants.find(user.tenantID), tenant.status == .active
        else { return false }
        let token = try await links.issue(tenantID: user.tenantID, userID: user.id)
        let base = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        let link = "\(base)/tenant/login/magic?token=\(token)"
        let body = """
            Hello,

            open this link to log in to \(tenant.name) on Woodstock Relay:

            \(link)

            The link works once and expires in 15 minutes. If you did not ask for it, ignore this e-mail.
            """
        try await mail.http.sendMail(
            MailMessage(
                from: mail.from, fromName: "Woodstock Relay", to: [user.email], subject: "Your login link",
                body: body),
            using: mail.smtp)
        logger.info("magic link sent", metadata: ["tenant.id": "\(user.tenantID)", "user.id": "\(user.id)"])
        return true
    }

    /// Logs in with a magic link token (single use).
    /// - Returns: the user, or `nil` when the token is unknown, used or expired, or the tenant is disabled.
    /// - Throws: a store or Redis error.
    public func logIn(magicToken token: String) async throws -> TenantUser? {
        guard let login = try await links.consume(token),
            let user = try await users.find(tenantID: login.tenantID, userID: login.userID)
        else { return nil }
        return try await finishLogin(user)
    }

    /// Logs in with e-mail and password.
    /// - Returns: the user, or `nil` when the address is unknown, the user has no password, the password is
    ///   wrong or the tenant is disabled. Every such failure counts against the address.
    /// - Throws: ``LoginRefusal`` after too many failures for the address this minute (the password is then
    ///   not even checked), or a store/Redis error.
    public func logIn(email: String, password: String) async throws -> TenantUser? {
        if let wait = try await throttle.passwordLockout(email: email) {
            logger.notice("tenant login throttled")
            throw LoginRefusal(retryAfterSeconds: wait)
        }
        guard let user = try await users.findForLogin(email: email), let stored = user.passwordHash else {
            try await throttle.recordPasswordFailure(email: email)
            return nil
        }
        guard await Self.offPool({ PasswordHash.verify(password: password, against: stored) }) else {
            try await throttle.recordPasswordFailure(email: email)
            logger.notice("tenant login refused: wrong password", metadata: ["user.id": "\(user.id)"])
            return nil
        }
        return try await finishLogin(user)
    }

    /// Onboarding step 1: creates a tenant and its first login (with a password when one is given).
    /// - Parameters:
    ///   - name: the business name.
    ///   - email: the login address.
    ///   - tier: the plan.
    ///   - password: at least 10 characters, or `nil` for magic-link-only.
    /// - Returns: the new user.
    /// - Throws: ``StoreError`` `.invalidValue` (bad name, address or short password), `.conflict` (address taken).
    public func signUp(name: String, email: String, tier: Tier, password: String?) async throws -> TenantUser {
        guard let address = TenantUser.normalizedEmail(email) else {
            throw StoreError(.invalidValue, message: "That does not look like an e-mail address.")
        }
        if let password, password.count < 10 {
            throw StoreError(.invalidValue, message: "Choose a password of at least 10 characters.")
        }
        if try await users.findForLogin(email: address) != nil {
            throw StoreError(.conflict, message: "This e-mail address already has an account. Log in instead.")
        }
        let iterations = passwordIterations
        let hash: String? =
            if let password {
                try await Self.offPool { try PasswordHash.make(password: password, iterations: iterations) }
            } else { nil }
        let tenant = try await tenants.create(
            name: name, tier: tier, email: address, actor: "onboarding:\(address)")
        let user = try await users.create(
            tenantID: tenant.id, email: address, passwordHash: hash, actor: "onboarding:\(address)")
        logger.info("tenant signed up", metadata: ["tenant.id": "\(tenant.id)", "tier": "\(tier.rawValue)"])
        return user
    }

    /// Sets a user's password (from the tenant page).
    /// - Throws: ``StoreError`` `.invalidValue` for a short password, `.notFound` when not the tenant's.
    public func setPassword(_ password: String, tenantID: TenantID, userID: UUID) async throws {
        guard password.count >= 10 else {
            throw StoreError(.invalidValue, message: "Choose a password of at least 10 characters.")
        }
        let iterations = passwordIterations
        let hash = try await Self.offPool { try PasswordHash.make(password: password, iterations: iterations) }
        try await users.setPasswordHash(hash, tenantID: tenantID, userID: userID, actor: "tenant:\(userID)")
    }

    private func finishLogin(_ user: TenantUser) async throws -> TenantUser? {
        guard let tenant = try await tenants.find(user.tenantID), tenant.status == .active else { return nil }
        try await users.recordLogin(tenantID: user.tenantID, userID: user.id)
        logger.info("tenant user logged in", metadata: ["tenant.id": "\(user.tenantID)", "user.id": "\(user.id)"])
        return user
    }

    /// Runs CPU-heavy work (PBKDF2) on a Dispatch queue, not on Swift's cooperative pool.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    static func offPool(_ work: @escaping @Sendable () -> Bool) async -> Bool {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }
}
