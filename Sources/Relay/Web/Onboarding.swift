import Accounts
import CryptoCore
import Foundation
public import Logging
import Meta
import Store
import Vault

extension RelayRuntime {
    /// The OAuth onboarding service; its `state` signing key is derived from the master key, so a
    /// deployment has one secret fewer to manage.
    ///
    /// - Throws: ``SettingsError`` naming `WOODSTOCK_MASTER_KEY` when it is missing.
    func makeOnboarding() throws -> OnboardingService {
        let master = try settings.require(settings.masterKey, "WOODSTOCK_MASTER_KEY").revealedBytes()
        let stateKey = try HMACSHA256.authenticationCode(for: Array("woodstock/oauth-state/v1".utf8), using: master)
        return try OnboardingService(
            configuration: OnboardingConfiguration(
                publicURL: settings.publicURL, instagramAppID: settings.instagramAppID, metaAppID: settings.metaAppID,
                instagramWWWURL: settings.instagramWWWURL, facebookWWWURL: settings.facebookWWWURL,
                graphVersion: settings.graphVersion, stateKey: stateKey),
            stateStore: OAuthStateStore(redis: redis), oauth: makeOAuth(), graph: makeGraph(), vault: try makeVault(),
            repositories: repositories, logger: logger)
    }
}

extension Relay {
    /// `woodstock connect instagram|facebook TENANT`: prints the authorize URL a tenant opens to connect an
    /// account (signed, single-use `state`, valid 10 minutes).
    public static func authorizeURL(
        _ settings: Settings, tenant: String, platform: String, logger: Logger
    ) async throws -> String {
        guard let tenantID = TenantID(tenant) else {
            throw SettingsError(variable: "TENANT", problem: "not a tenant id")
        }
        guard let connectPlatform = ConnectPlatform(rawValue: platform) else {
            throw SettingsError(variable: "PLATFORM", problem: "must be instagram or facebook")
        }
        let runtime = try RelayRuntime(settings: settings, logger: logger)
        do {
            let url = try await runtime.makeOnboarding().start(tenantID: tenantID, platform: connectPlatform)
            await runtime.close()
            return url
        } catch {
            await runtime.close()
            throw error
        }
    }
}
