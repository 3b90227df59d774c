import Accounts
import Billing
import CryptoCore
import Foundation
import HTTP
import Hummingbird
public import Logging
import Store
import Web

extension Relay {
    /// Adds the tenant pages (`/tenant/…`: login, sign-up and onboarding, overview, billing, inbox) to `serve`'s
    /// router. They need the master key (tokens are opened for inbox replies, OAuth state is signed with it).
    static func addTenantPages(to router: Router<BasicRequestContext>, runtime: RelayRuntime, logger: Logger) throws {
        guard runtime.settings.masterKey != nil else {
            logger.warning("WOODSTOCK_MASTER_KEY unset: tenant pages are off")
            return
        }
        try runtime.makeTenantWeb().add(to: router)
    }
}

extension RelayRuntime {
    /// The tenant pages over this runtime's Redis, PostgreSQL, vault, Graph client and SMTP settings.
    /// - Throws: ``SettingsError`` when the master key is missing, or a template error.
    func makeTenantWeb() throws -> TenantWeb {
        let onboarding = try makeOnboarding()
        let smtp = settings.smtpURL.map { url in
            SMTPConfiguration(url: url, security: url.hasPrefix("smtps://") ? .requireTLS : .none)
        }
        let login = TenantLoginService(
            users: TenantUserRepository(pool: pool), tenants: repositories.tenants,
            links: MagicLinkStore(redis: redis),
            mail: smtp.map { .init(http: http, smtp: $0, from: settings.smtpFrom) },
            logger: logger)
        return TenantWeb(
            login: login,
            portal: TenantPortal(
                pool: pool, repositories: repositories, meter: UsageMeter(redis: redis), logger: logger),
            inbox: InboxService(
                pool: pool, repositories: repositories, vault: try makeVault(), graph: makeGraph(), logger: logger),
            connect: { tenantID, platform in
                guard let platform = ConnectPlatform(rawValue: platform) else {
                    throw SettingsError(variable: "platform", problem: "must be instagram or facebook")
                }
                return try await onboarding.start(tenantID: tenantID, platform: platform)
            },
            sessions: SessionStore(redis: redis, keyPrefix: "woodstock:session:tenant:"),
            renderer: try TenantWeb.makeRenderer(), publicURL: settings.publicURL, logger: logger)
    }
}

extension Relay {
    /// `woodstock tenant-logins add TENANT EMAIL [--password-stdin]`: creates a login for a tenant's pages (an
    /// operator's way in for tenants created with `woodstock tenants add`). Without a password the login uses
    /// e-mailed magic links. Audited `tenant_user.created`.
    /// - Parameters:
    ///   - settings: the settings.
    ///   - tenant: the tenant id.
    ///   - email: the login's address.
    ///   - password: at least 10 characters, or `nil`.
    ///   - logger: the logger.
    /// - Returns: a line for the terminal.
    /// - Throws: ``SettingsError`` for a bad tenant id, unknown tenant or short password; a store error.
    public static func addTenantLogin(
        _ settings: Settings, tenant: String, email: String, password: String?, logger: Logger
    ) async throws -> String {
        guard let tenantID = TenantID(tenant) else {
            throw SettingsError(variable: "TENANT", problem: "not a tenant id")
        }
        if let password, password.count < 10 {
            throw SettingsError(variable: "password", problem: "must have at least 10 characters")
        }
        let runtime = try RelayRuntime(settings: settings, logger: logger)
        do {
            guard try await runtime.repositories.tenants.find(tenantID) != nil else {
                throw SettingsError(variable: "TENANT", problem: "no such tenant")
            }
            var hash: String?
            if let password {
                hash = try await withCheckedThrowingContinuation { continuation in
                    DispatchQueue.global().async {
                        continuation.resume(with: Result { try PasswordHash.make(password: password) })
                    }
                }
            }
            let user = try await TenantUserRepository(pool: runtime.pool).create(
                tenantID: tenantID, email: email, passwordHash: hash, actor: "cli")
            await runtime.close()
            return "created login \(user.email) for tenant \(tenantID)"
        } catch {
            await runtime.close()
            throw error
        }
    }
}
