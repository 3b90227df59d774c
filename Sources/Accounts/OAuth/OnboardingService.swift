public import Foundation
public import Logging
public import Meta
public import Metrics
public import Store
public import Vault

/// The OAuth connect flow, as plain functions the web routes call: ``start(tenantID:platform:)`` returns the
/// authorize URL, ``callback(platform:query:)`` turns Meta's redirect into an ``OnboardingOutcome``.
///
/// Every outcome is audited and counted (`woodstock.oauth.*`). Tokens never appear in logs, audit rows or
/// outcomes. Thread-safe.
///
/// ```swift
/// let onboarding = OnboardingService(configuration: config, stateStore: OAuthStateStore(redis: redis),
///     oauth: oauthClient, graph: graphClient, vault: vault, repositories: repositories, logger: logger)
/// let url = try await onboarding.start(tenantID: tenant, platform: .instagram)   // 302 the browser there
/// let outcome = await onboarding.callback(platform: .instagram, query: request.queryParameters)
/// ```
public struct OnboardingService: Sendable {
    let configuration: OnboardingConfiguration
    let signer: OAuthStateSigner
    let stateStore: OAuthStateStore
    let oauth: MetaOAuthClient
    let graph: GraphClient
    let vault: Vault
    let repositories: Repositories
    let logger: Logger
    let metrics: OAuthMetrics
    let clock: @Sendable () -> Date

    /// Creates the service.
    /// - Parameters:
    ///   - configuration: app ids, redirect URIs, hosts and the state key.
    ///   - stateStore: where issued states wait for their single use.
    ///   - oauth: Meta's OAuth endpoints.
    ///   - graph: the Graph client (webhook subscription).
    ///   - vault: seals tokens.
    ///   - repositories: tenants, integrations, audit log.
    ///   - logger: ids and reasons only.
    ///   - clock: the current time (tests move it).
    ///   - metricsFactory: where `woodstock.oauth.*` counters go (default: the bootstrapped system).
    /// - Throws: ``AccountsError`` `.misconfigured` for a state key shorter than 32 bytes.
    public init(
        configuration: OnboardingConfiguration, stateStore: OAuthStateStore, oauth: MetaOAuthClient,
        graph: GraphClient, vault: Vault, repositories: Repositories, logger: Logger,
        clock: @escaping @Sendable () -> Date = { Date() }, metricsFactory: (any MetricsFactory)? = nil
    ) throws {
        self.metrics = OAuthMetrics(factory: metricsFactory)
        self.configuration = configuration
        self.signer = try OAuthStateSigner(
            key: configuration.stateKey, lifetimeSeconds: configuration.stateLifetimeSeconds)
        self.stateStore = stateStore
        self.oauth = oauth
        self.graph = graph
        self.vault = vault
        self.repositories = repositories
        self.logger = logger
        self.clock = clock
    }

    /// Starts a login: issues a signed, single-use state bound to the tenant and returns the authorize URL.
    /// - Parameters:
    ///   - tenantID: the signed-in tenant.
    ///   - platform: Instagram Login, or Facebook Login (only for tiers in ``OnboardingConfiguration/facebookTiers``).
    /// - Returns: the URL to redirect the browser to.
    /// - Throws: ``AccountsError`` `.notFound` (no such active tenant), `.misconfigured` (app id missing, or the
    ///   tenant's tier does not include Facebook), or a Redis/store error.
    public func start(tenantID: TenantID, platform: ConnectPlatform) async throws -> String {
        guard let tenant = try await repositories.tenants.find(tenantID), tenant.status == .active else {
            throw AccountsError(.notFound, message: "no active tenant \(tenantID)")
        }
        if platform == .facebook && !configuration.facebookTiers.contains(tenant.tier.rawValue) {
            throw AccountsError(.misconfigured, message: "the \(tenant.tier.rawValue) tier does not include Facebook")
        }
        let appID = platform == .instagram ? configuration.instagramAppID : configuration.metaAppID
        guard let appID, !appID.isEmpty else {
            throw AccountsError(.misconfigured, message: "no app id configured for \(platform.rawValue) login")
        }
        let (token, state) = try signer.issue(tenantID: tenantID.description, platform: platform, now: clock())
        try await stateStore.remember(state, lifetimeSeconds: signer.lifetimeSeconds)
        metrics.started(platform)
        try await audit(tenantID, "oauth.started", ["platform": platform.rawValue])
        logger.info("oauth started", metadata: ["tenant.id": "\(tenantID)", "oauth.platform": "\(platform.rawValue)"])
        return AuthorizeURL.make(platform: platform, appID: appID, state: token, configuration: configuration)
    }

    /// Handles Meta's redirect back to `/auth/<platform>/callback`.
    ///
    /// Order: the state is checked first (missing, forged, expired, replayed), so `error=` is only trusted for a
    /// tenant we issued the state to; then `error=`; then code → short-lived → long-lived token, account, scopes,
    /// ownership, sealed storage and webhook subscription.
    /// - Parameters:
    ///   - platform: the flow whose callback was hit.
    ///   - query: the callback's query parameters (`code`, `state`, `error`, `error_reason`, …).
    /// - Returns: the outcome; never throws, every failure is an outcome (audited and counted).
    public func callback(platform: ConnectPlatform, query: [String: String]) async -> OnboardingOutcome {
        let outcome: OnboardingOutcome
        do {
            outcome = try await handleCallback(platform: platform, query: query)
        } catch {
            logger.error("oauth callback failed", metadata: ["error": "\(error)"])
            outcome = .failed(
                OnboardingFailure(
                    reason: .unavailable, tenantID: nil,
                    message: "Something went wrong on our side. Please try connecting again in a few minutes."))
        }
        switch outcome {
        case .connected(let account):
            metrics.succeeded(platform)
            logger.info(
                "oauth connected",
                metadata: ["tenant.id": "\(account.tenantID)", "integration.id": "\(account.integrationID)"])
        case .failed(let failure):
            metrics.failed(platform, failure.reason)
            try? await audit(
                failure.tenantID, "oauth.failed", ["platform": platform.rawValue, "reason": failure.reason.rawValue])
            logger.notice(
                "oauth refused",
                metadata: [
                    "tenant.id": "\(failure.tenantID.map(\.description) ?? "-")",
                    "reason": "\(failure.reason.rawValue)",
                ])
        }
        return outcome
    }

    private func handleCallback(platform: ConnectPlatform, query: [String: String]) async throws -> OnboardingOutcome {
        guard let token = query["state"], !token.isEmpty else {
            return fail(
                .missingState, nil, "This link is incomplete. Please start connecting again from your dashboard.")
        }
        let state: OAuthState
        do {
            state = try signer.verify(token, now: clock())
        } catch let error as AccountsError where error.code == .expiredState {
            return fail(.expiredState, nil, "This login took longer than 10 minutes. Please start connecting again.")
        } catch {
            return fail(
                .invalidState, nil, "This link is not valid. Please start connecting again from your dashboard.")
        }
        guard let tenantID = TenantID(state.tenantID), state.platform == platform else {
            return fail(
                .invalidState, nil, "This link is not valid. Please start connecting again from your dashboard.")
        }
        guard try await stateStore.consume(state) else {
            return fail(.replayedState, tenantID, "This link was already used. Please start connecting again.")
        }
        if let error = query["error"], !error.isEmpty {
            let reason = query["error_reason"] ?? error
            return fail(
                .denied, tenantID,
                reason == "user_denied"
                    ? "You declined the connection, so nothing was connected. You can try again at any time."
                    : "Meta did not allow the connection (\(Self.printable(reason))). Please try again.")
        }
        guard let code = query["code"], !code.isEmpty else {
            return fail(.exchangeFailed, tenantID, "Meta sent no authorization code. Please try again.")
        }
        switch platform {
        case .instagram: return try await connectInstagram(tenantID: tenantID, code: code)
        case .facebook: return try await connectFacebook(tenantID: tenantID, code: code)
        }
    }

    func fail(_ reason: OnboardingFailure.Reason, _ tenantID: TenantID?, _ message: String) -> OnboardingOutcome {
        .failed(OnboardingFailure(reason: reason, tenantID: tenantID, message: message))
    }

    /// The outcome of a Meta error during the exchange: transient ones say "try later".
    func metaFailure(_ error: any Error, _ tenantID: TenantID, step: String) -> OnboardingOutcome {
        logger.warning(
            "oauth exchange failed",
            metadata: ["tenant.id": "\(tenantID)", "oauth.step": "\(step)", "error": "\(error)"])
        if let meta = error as? MetaError, meta.isRetryable {
            return fail(.unavailable, tenantID, "Meta is not answering right now. Please try again in a few minutes.")
        }
        return fail(.exchangeFailed, tenantID, "Meta refused the login. Please start connecting again.")
    }

    func audit(_ tenantID: TenantID?, _ action: String, _ details: [String: String]) async throws {
        let actor = tenantID.map { "tenant:\($0)" } ?? "system:oauth"
        try await repositories.audit.record(
            AuditEntry(actor: actor, tenantID: tenantID, action: action, details: details))
    }

    /// Keeps letters, digits and `_` of a Meta error reason (it is shown on a page).
    static func printable(_ text: String) -> String {
        String(
            text.unicodeScalars.filter {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_")
            }.prefix(60).map(Character.init))
    }
}
