import Foundation
import Logging
import Meta
import Store
import Vault

extension OnboardingService {
    /// Instagram Login: code → short-lived → long-lived token, `/me` (`user_id`, username), scopes, ownership,
    /// sealed token, `subscribed_apps`.
    func connectInstagram(tenantID: TenantID, code: String) async throws -> OnboardingOutcome {
        let short: InstagramShortLivedToken
        let long: IssuedToken
        let account: InstagramAccount
        do {
            short = try await oauth.exchangeInstagramCode(code, redirectURI: configuration.instagramRedirectURI)
        } catch {
            return metaFailure(error, tenantID, step: "code")
        }
        let missing = ConnectPlatform.instagram.missingScopes(granted: short.permissions.joined(separator: ","))
        guard missing.isEmpty else {
            return fail(
                .missingScope, tenantID,
                "The relay needs every permission it asked for; please connect again and keep these ticked: "
                    + missing.joined(separator: ", ") + ".")
        }
        do {
            long = try await oauth.exchangeForLongLivedInstagramToken(short.accessToken)
            account = try await oauth.instagramAccount(token: long.accessToken)
        } catch {
            return metaFailure(error, tenantID, step: "long-lived")
        }
        let expiresAt = long.expiresIn.map { clock().addingTimeInterval(TimeInterval($0)) }
        return try await store(
            tenantID: tenantID, platform: .instagram, accountID: account.userID, accountName: account.username,
            token: long.accessToken, expiresAt: expiresAt, scopes: short.permissions,
            subscribe: GraphAccount(platform: .instagram, id: account.userID),
            fields: configuration.instagramWebhookFields)
    }

    /// Facebook Login: code → user token → long-lived user token → the Page token from `/me/accounts`.
    func connectFacebook(tenantID: TenantID, code: String) async throws -> OnboardingOutcome {
        let pages: [FacebookPage]
        do {
            let user = try await oauth.exchangeFacebookCode(code, redirectURI: configuration.facebookRedirectURI)
            let long = try await oauth.exchangeForLongLivedFacebookToken(user.accessToken)
            pages = try await oauth.facebookPages(userToken: long.accessToken)
        } catch {
            return metaFailure(error, tenantID, step: "facebook")
        }
        guard let page = pages.first(where: { $0.accessToken?.isEmpty == false }), let pageToken = page.accessToken
        else {
            return fail(
                .missingScope, tenantID,
                "No Facebook Page was shared with the relay. Please connect again and select your Page.")
        }
        guard page.tasks.isEmpty || page.tasks.contains("MESSAGING") || page.tasks.contains("MANAGE") else {
            return fail(
                .missingScope, tenantID, "Your role on this Page does not allow messaging. Ask a Page admin to connect."
            )
        }
        return try await store(
            tenantID: tenantID, platform: .facebook, accountID: page.id, accountName: page.name, token: pageToken,
            expiresAt: nil, scopes: [], subscribe: GraphAccount(platform: .facebook, id: page.id),
            fields: configuration.facebookWebhookFields)
    }

    /// Claims the account for the tenant (refusing one another tenant holds), seals and stores the token,
    /// subscribes webhooks and audits.
    private func store(
        tenantID: TenantID, platform: ConnectPlatform, accountID: String, accountName: String?, token: String,
        expiresAt: Date?, scopes: [String], subscribe account: GraphAccount, fields: [String]
    ) async throws -> OnboardingOutcome {
        let actor = "tenant:\(tenantID)"
        let storePlatform: Store.Platform = platform == .instagram ? .instagram : .facebook
        let integration: Integration
        do {
            integration = try await repositories.integrations.connect(
                tenantID: tenantID, platform: storePlatform, accountID: accountID, accountName: accountName,
                actor: actor)
        } catch let error as StoreError where error.code == .conflict {
            return fail(
                .accountTaken, tenantID,
                "This account is already connected to another business on the relay. "
                    + "Disconnect it there first, or contact support.")
        }
        try await vault.storeAccessToken(
            Secret(token), tenantID: tenantID, integrationID: integration.id, expiresAt: expiresAt,
            scopes: scopes.isEmpty ? nil : scopes, actor: actor)
        do {
            guard try await graph.subscribeApp(account: account, fields: fields, token: token) else {
                return fail(.subscribeFailed, tenantID, "Meta did not confirm the webhook subscription. Please retry.")
            }
        } catch {
            logger.warning("subscribe failed", metadata: ["tenant.id": "\(tenantID)", "error": "\(error)"])
            return fail(.subscribeFailed, tenantID, "Meta did not confirm the webhook subscription. Please retry.")
        }
        try await audit(
            tenantID, "oauth.connected",
            [
                "platform": platform.rawValue, "integration.id": "\(integration.id)", "account.id": accountID,
                "expires_at": expiresAt.map { "\(Int64($0.timeIntervalSince1970))" } ?? "never",
            ])
        return .connected(
            ConnectedAccount(
                tenantID: tenantID, integrationID: integration.id, platform: platform, accountID: accountID,
                accountName: accountName, expiresAt: expiresAt))
    }
}
