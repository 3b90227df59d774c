import CryptoCore
import Hummingbird
import Jobs
import Logging
import Vault
import Web

extension Relay {
    /// Mounts the operator dashboard at `/admin` when `WOODSTOCK_ADMIN_PASSWORD_HASH` is set.
    ///
    /// The session cookie is always `Secure` when `WOODSTOCK_PUBLIC_URL` is `https://…`, otherwise only on
    /// requests that came over TLS (`X-Forwarded-Proto: https` from the proxy). A missing `crontab` leaves
    /// the schedule page empty instead of failing `serve`.
    /// - Throws: ``SettingsError`` when the hash is malformed.
    static func addAdminRoutes(
        to router: Router<BasicRequestContext>, runtime: RelayRuntime, settings: Settings, logger: Logger
    ) throws {
        guard let hash = settings.adminPasswordHash?.revealed() else {
            logger.warning("WOODSTOCK_ADMIN_PASSWORD_HASH unset: the /admin dashboard is off")
            return
        }
        guard PasswordHash.isWellFormed(hash) else {
            throw SettingsError(
                variable: "WOODSTOCK_ADMIN_PASSWORD_HASH", problem: "must be a hash from `woodstock hash-password`")
        }
        var crontab: Crontab?
        do {
            crontab = try Crontab.load(path: settings.crontabPath)
        } catch {
            logger.warning("crontab not loaded: the schedule page is empty", metadata: ["error": "\(error)"])
        }
        let secure: SessionCookie.Security =
            settings.publicURL.lowercased().hasPrefix("https://") ? .always : .fromRequest
        let site = try AdminSite(
            configuration: AdminConfiguration(passwordHash: hash, cookieSecurity: secure), redis: runtime.redis,
            repositories: runtime.repositories, reads: runtime.readPool, crontab: crontab, logger: logger)
        site.add(to: router)
    }

    /// `woodstock hash-password`: the stored form of a password for `WOODSTOCK_ADMIN_PASSWORD_HASH`
    /// (PBKDF2-HMAC-SHA256, 600,000 iterations, random salt).
    /// - Parameter password: The password in clear (never logged).
    /// - Returns: `pbkdf2-sha256$600000$<salt>$<hash>`.
    /// - Throws: ``SettingsError`` for an empty or short password; `CryptoError` if OpenSSL fails.
    public static func hashPassword(_ password: String) throws -> String {
        guard password.count >= 12 else {
            throw SettingsError(variable: "password", problem: "must have at least 12 characters")
        }
        return try PasswordHash.make(password: password)
    }
}
