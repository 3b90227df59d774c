import Accounts
import Billing
import Foundation
import HTTP
import Hummingbird
import Logging
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
