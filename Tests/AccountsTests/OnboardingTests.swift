import Foundation
import HTTP
import Meta
import MetricsTestKit
import Store
import Testing
import Vault

@testable import Accounts

/// The OAuth connect flow end to end: the real clients against the `woodstock-sandbox` binary, real Redis and
/// PostgreSQL.
@Suite struct OnboardingTests {
    @Test("Instagram Login connects: user_id (not /me id), sealed 60-day token, subscription, audit, metrics")
    func instagramSuccess() async throws {
        try await LifecycleWorld.with { world in
            let metrics = TestMetrics()
            let onboarding = try world.onboarding(factory: metrics)
            let tenant = try await world.tenant()
            let url = try await onboarding.start(tenantID: tenant.id, platform: .instagram)
            #expect(url.hasPrefix(world.sandbox.baseURL + "/oauth/authorize?client_id=990001&"))
            #expect(url.contains("scope=instagram_business_basic%2Cinstagram_business_manage_messages"))
            let query = try await world.sandbox.authorize(url)
            let outcome = await onboarding.callback(platform: .instagram, query: query)
            guard case .connected(let account) = outcome else {
                Issue.record("expected connected, got \(outcome)")
                return
            }
            #expect(account.accountID == "17841400000000001")
            #expect(account.accountName == "sandbox_shop")
            let expiresIn = try #require(account.expiresAt).timeIntervalSinceNow
            #expect(expiresIn > 59 * 86_400 && expiresIn < 61 * 86_400)
            let stored = try #require(
                try await world.repositories.integrations.find(
                    tenantID: tenant.id, integrationID: account.integrationID))
            #expect(stored.status == .active && stored.hasToken && stored.accountID == "17841400000000001")
            #expect(stored.scopes.contains("instagram_business_manage_messages"))
            let token = try #require(
                try await world.vault.accessToken(tenantID: tenant.id, integrationID: account.integrationID))
            let sealed = try #require(
                try await world.repositories.integrations.sealedToken(
                    tenantID: tenant.id, integrationID: account.integrationID))
            #expect(!String(decoding: sealed.ciphertext, as: UTF8.self).contains(token.revealed()))
            let fields = try await world.graph.subscribedFields(
                account: GraphAccount(platform: .instagram, id: account.accountID), token: token.revealed())
            #expect(fields.contains("messages"))
            #expect(try await world.audit(tenant.id, action: "oauth.connected") == 1)
            #expect(try await world.audit(tenant.id, action: "oauth.started") == 1)
            let succeeded = try metrics.expectCounter("woodstock.oauth.succeeded", [("platform", "instagram")])
            #expect(succeeded.totalValue == 1)
        }
    }

    @Test("the user denies: nothing stored, a clear outcome, an audit row and a failure metric")
    func userDenies() async throws {
        try await LifecycleWorld.with { world in
            let metrics = TestMetrics()
            let onboarding = try world.onboarding(factory: metrics)
            let tenant = try await world.tenant()
            try await world.sandbox.control("/_sandbox/oauth", #"{"deny":true}"#)
            let query = try await world.sandbox.authorize(
                try await onboarding.start(tenantID: tenant.id, platform: .instagram))
            #expect(query["error"] == "access_denied")
            let outcome = await onboarding.callback(platform: .instagram, query: query)
            #expect(outcome.failureReason == .denied)
            if case .failed(let failure) = outcome {
                #expect(failure.tenantID == tenant.id)
                #expect(failure.message.contains("declined"))
            }
            #expect(try await world.repositories.integrations.list(tenantID: tenant.id).isEmpty)
            #expect(try await world.audit(tenant.id, action: "oauth.failed") == 1)
            let failed = try metrics.expectCounter(
                "woodstock.oauth.failed", [("platform", "instagram"), ("reason", "denied")])
            #expect(failed.totalValue == 1)
        }
    }

    @Test("missing, forged, expired and replayed states are refused before any exchange")
    func badStates() async throws {
        try await LifecycleWorld.with { world in
            let onboarding = try world.onboarding()
            let tenant = try await world.tenant()
            let missing = await onboarding.callback(platform: .instagram, query: ["code": "AQxyz"])
            #expect(missing.failureReason == .missingState)

            let attacker = try OAuthStateSigner(key: Array(repeating: 1, count: 32))
            let (forged, _) = try attacker.issue(tenantID: tenant.id.description, platform: .instagram)
            let forgedOutcome = await onboarding.callback(platform: .instagram, query: ["code": "AQ", "state": forged])
            #expect(forgedOutcome.failureReason == .invalidState)
            #expect(try await world.audit(nil, action: "oauth.failed") == 2)

            let late = try world.onboarding(clock: { Date().addingTimeInterval(601) })
            let expiredQuery = try await world.sandbox.authorize(
                try await onboarding.start(tenantID: tenant.id, platform: .instagram))
            #expect(await late.callback(platform: .instagram, query: expiredQuery).failureReason == .expiredState)

            let query = try await world.sandbox.authorize(
                try await onboarding.start(tenantID: tenant.id, platform: .instagram))
            let wrongFlow = await onboarding.callback(platform: .facebook, query: query)
            #expect(wrongFlow.failureReason == .invalidState)
            guard case .connected = await onboarding.callback(platform: .instagram, query: query) else {
                Issue.record("the first use of a fresh state must connect")
                return
            }
            let replay = await onboarding.callback(platform: .instagram, query: query)
            #expect(replay.failureReason == .replayedState)
            #expect(try await world.audit(tenant.id, action: "oauth.connected") == 1)
        }
    }

    @Test("a code Meta refuses ends in exchange_failed; a missing scope in missing_scope")
    func exchangeErrors() async throws {
        try await LifecycleWorld.with { world in
            let onboarding = try world.onboarding()
            let tenant = try await world.tenant()
            try await world.sandbox.control("/_sandbox/faults", #"{"graph":[{"route":"oauth","code":400,"times":1}]}"#)
            let query = try await world.sandbox.authorize(
                try await onboarding.start(tenantID: tenant.id, platform: .instagram))
            #expect(await onboarding.callback(platform: .instagram, query: query).failureReason == .exchangeFailed)

            try await world.sandbox.control("/_sandbox/oauth", #"{"permissions":"instagram_business_basic"}"#)
            let narrow = try await world.sandbox.authorize(
                try await onboarding.start(tenantID: tenant.id, platform: .instagram))
            let outcome = await onboarding.callback(platform: .instagram, query: narrow)
            #expect(outcome.failureReason == .missingScope)
            if case .failed(let failure) = outcome {
                #expect(failure.message.contains("instagram_business_manage_messages"))
            }
            #expect(try await world.repositories.integrations.list(tenantID: tenant.id).isEmpty)
        }
    }

    @Test("an account another tenant holds is refused; the owner keeps it")
    func accountTaken() async throws {
        try await LifecycleWorld.with { world in
            let onboarding = try world.onboarding()
            let owner = try await world.tenant(name: "Owner")
            let intruder = try await world.tenant(name: "Intruder")
            let first = await onboarding.callback(
                platform: .instagram,
                query: try await world.sandbox.authorize(
                    try await onboarding.start(tenantID: owner.id, platform: .instagram)))
            guard case .connected(let account) = first else {
                Issue.record("owner must connect: \(first)")
                return
            }
            let second = await onboarding.callback(
                platform: .instagram,
                query: try await world.sandbox.authorize(
                    try await onboarding.start(tenantID: intruder.id, platform: .instagram)))
            #expect(second.failureReason == .accountTaken)
            #expect(try await world.repositories.integrations.list(tenantID: intruder.id).isEmpty)
            let route = try await world.repositories.crossTenant.routeForAccount(
                platform: .instagram, accountID: account.accountID)
            #expect(route?.tenantID == owner.id)
        }
    }

    @Test("Facebook Login stores a non-expiring Page token for professional; starter may not start it")
    func facebookPage() async throws {
        try await LifecycleWorld.with { world in
            let onboarding = try world.onboarding()
            let starter = try await world.tenant(.starter)
            await #expect(throws: AccountsError.self) {
                _ = try await onboarding.start(tenantID: starter.id, platform: .facebook)
            }
            let tenant = try await world.tenant(.professional)
            let url = try await onboarding.start(tenantID: tenant.id, platform: .facebook)
            #expect(url.hasPrefix(world.sandbox.baseURL + "/v24.0/dialog/oauth?client_id=990002&"))
            let outcome = await onboarding.callback(
                platform: .facebook, query: try await world.sandbox.authorize(url))
            guard case .connected(let account) = outcome else {
                Issue.record("expected connected, got \(outcome)")
                return
            }
            #expect(account.platform == .facebook)
            #expect(account.expiresAt == nil)
            #expect(account.accountID.hasPrefix("1010"))
            let token = try #require(
                try await world.vault.accessToken(tenantID: tenant.id, integrationID: account.integrationID))
            let fields = try await world.graph.subscribedFields(
                account: GraphAccount(platform: .facebook, id: account.accountID), token: token.revealed())
            #expect(fields.contains("messages"))
        }
    }
}
