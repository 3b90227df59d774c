/// How the operator dashboard at `/admin` signs people in.
public struct AdminConfiguration: Sendable {
    /// The operator password's hash (``CryptoCore/PasswordHash`` format, from `woodstock hash-password`).
    public var passwordHash: String
    /// When the session cookie is `Secure` (``SessionCookie/Security/fromRequest`` unless given).
    public var cookieSecurity: SessionCookie.Security
    /// How long a signed-in session lives (8 hours unless given).
    public var sessionLifetime: Duration
    /// The Redis key prefix of admin sessions.
    public var sessionKeyPrefix: String
    /// Failed logins allowed per minute (all sources together) before the login form answers 429.
    public var failedLoginsPerMinute: Int
    /// Dead jobs shown per page.
    public var deadPageSize: Int

    /// Creates the configuration.
    /// - Parameters:
    ///   - passwordHash: The operator password's hash (`WOODSTOCK_ADMIN_PASSWORD_HASH`).
    ///   - cookieSecurity: When the cookie is `Secure`.
    ///   - sessionLifetime: How long a session lives.
    ///   - sessionKeyPrefix: The Redis key prefix of sessions.
    ///   - failedLoginsPerMinute: The failed-login budget per minute.
    ///   - deadPageSize: Dead jobs per page.
    public init(
        passwordHash: String, cookieSecurity: SessionCookie.Security = .fromRequest,
        sessionLifetime: Duration = .seconds(8 * 3600), sessionKeyPrefix: String = "woodstock:session:admin:",
        failedLoginsPerMinute: Int = 20, deadPageSize: Int = 50
    ) {
        self.passwordHash = passwordHash
        self.cookieSecurity = cookieSecurity
        self.sessionLifetime = sessionLifetime
        self.sessionKeyPrefix = sessionKeyPrefix
        self.failedLoginsPerMinute = failedLoginsPerMinute
        self.deadPageSize = deadPageSize
    }
}
