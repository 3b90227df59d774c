public import Foundation
public import Jobs
public import Logging
public import Meta
import Metrics
public import Store
public import Vault

/// Keeps long-lived Instagram tokens alive: ``sweep(now:)`` enqueues one `refresh-token` per integration that
/// is due (unique key `refresh:<integration>`, so concurrent sweeps enqueue each once) and
/// ``refresh(tenantID:integrationID:isFinalAttempt:now:)`` refreshes one token.
///
/// A revoked token (190, or another non-retryable answer) marks the integration `needs_reauth` and notifies
/// the tenant once; transient failures throw so the job engine retries, and the final failed attempt
/// notifies `refresh_failed`. Thread-safe.
public struct TokenRefresher: Sendable {
    let repositories: Repositories
    let vault: Vault
    let oauth: MetaOAuthClient
    let jobs: JobClient
    let notifier: TenantNotifier
    var policy: RefreshPolicy
    let logger: Logger
    let refreshed = Counter(label: "woodstock.tokens.refreshed", dimensions: [("result", "ok")])
    let revoked = Counter(label: "woodstock.tokens.refreshed", dimensions: [("result", "needs_reauth")])
    let transient = Counter(label: "woodstock.tokens.refreshed", dimensions: [("result", "transient")])

    /// What a sweep did.
    public struct SweepResult: Sendable, Equatable {
        /// `refresh-token` jobs enqueued.
        public var enqueued = 0
        /// Integrations already queued (their unique key was taken).
        public var duplicates = 0
        /// Integrations whose token had already expired, now `needs_reauth`.
        public var expired = 0
        /// Integrations inside the horizon but refreshed less than 24 h ago.
        public var tooYoung = 0
    }

    /// What one refresh did.
    public enum RefreshResult: String, Sendable, Equatable {
        /// A new token is stored.
        case refreshed
        /// Nothing to do (refreshed recently, gone, not active, no token).
        case skipped
        /// Meta refused the token: the integration needs re-authorisation.
        case needsReauth = "needs_reauth"
    }

    /// Creates a refresher.
    public init(
        repositories: Repositories, vault: Vault, oauth: MetaOAuthClient, jobs: JobClient,
        policy: RefreshPolicy = RefreshPolicy(), logger: Logger
    ) {
        self.repositories = repositories
        self.vault = vault
        self.oauth = oauth
        self.jobs = jobs
        self.notifier = TenantNotifier(repositories: repositories, jobs: jobs)
        self.policy = policy
        self.logger = logger
    }

    /// The payload of `refresh-token` (jobs/refresh-token.yaml: `integration_id`, `client_id`).
    public struct RefreshPayload: Codable, Sendable, Hashable {
        /// The integration.
        public var integration_id: String
        /// Its tenant.
        public var client_id: String

        /// Creates a payload.
        public init(integration_id: String, client_id: String) {
            self.integration_id = integration_id
            self.client_id = client_id
        }
    }

    /// Finds the integrations that are due and enqueues one `refresh-token` each (in batches of 500).
    /// - Parameter now: the current time.
    /// - Returns: the counts.
    /// - Throws: a store or Redis error.
    public func sweep(now: Date = Date()) async throws -> SweepResult {
        var result = SweepResult()
        let candidates = try await repositories.crossTenant.integrationsExpiring(
            within: TimeInterval(policy.horizonSeconds), now: now, limit: policy.batchLimit)
        var requests: [JobRequest] = []
        for integration in candidates where integration.platform == .instagram {
            guard let expiresAt = integration.expiresAt else { continue }
            if expiresAt <= now {
                try await markNeedsReauth(integration, reason: "expired", now: now)
                result.expired += 1
                continue
            }
            let refreshedAt = integration.lastRefreshedAt ?? .distantPast
            guard policy.isDue(expiresAt: expiresAt, refreshedAt: refreshedAt, now: now) else {
                result.tooYoung += 1
                continue
            }
            requests.append(
                try JobRequest(
                    name: "refresh-token",
                    payload: RefreshPayload(
                        integration_id: integration.id.description, client_id: integration.tenantID.description)))
        }
        var start = 0
        while start < requests.count {
            let chunk = Array(requests[start..<min(start + 500, requests.count)])
            for outcome in try await jobs.enqueue(batch: chunk) {
                if outcome.jobID == nil { result.duplicates += 1 } else { result.enqueued += 1 }
            }
            start += 500
        }
        logger.info(
            "refresh sweep",
            metadata: [
                "tokens.enqueued": "\(result.enqueued)", "tokens.duplicates": "\(result.duplicates)",
                "tokens.expired": "\(result.expired)",
            ])
        return result
    }

    /// Refreshes one integration's token.
    /// - Parameters:
    ///   - tenantID: the tenant.
    ///   - integrationID: the integration.
    ///   - isFinalAttempt: whether a transient failure now is the last (then `refresh_failed` is notified).
    ///   - now: the current time.
    /// - Returns: what happened.
    /// - Throws: ``AccountsError`` `.transient` for a failure worth retrying; store/vault errors.
    @discardableResult
    public func refresh(
        tenantID: TenantID, integrationID: IntegrationID, isFinalAttempt: Bool = false, now: Date = Date()
    ) async throws -> RefreshResult {
        guard
            let (integration, sealed) = try await repositories.integrations.findWithToken(
                tenantID: tenantID, integrationID: integrationID),
            integration.status == .active, integration.platform == .instagram, let sealed
        else { return .skipped }
        if let refreshedAt = integration.lastRefreshedAt,
            now.timeIntervalSince(refreshedAt) < Double(policy.minimumAgeSeconds)
        {
            return .skipped  // another run refreshed it already; Meta refuses tokens younger than 24 h
        }
        let token = try await vault.open(sealed, tenantID: tenantID, integrationID: integrationID)
        let issued: IssuedToken
        do {
            issued = try await oauth.refreshInstagramToken(token.revealed())
        } catch let error as MetaError where error.needsReauthorization || error.category == .permission {
            revoked.increment()
            try await markNeedsReauth(integration, reason: "\(error.category)", now: now)
            return .needsReauth
        } catch {
            transient.increment()
            logger.warning(
                "token refresh failed",
                metadata: ["integration.id": "\(integrationID)", "final": "\(isFinalAttempt)", "error": "\(error)"])
            if isFinalAttempt {
                try await notifier.notify(
                    kind: "refresh_failed", tenantID: tenantID,
                    details: [
                        "integration.id": "\(integrationID)",
                        "account": integration.accountName ?? integration.accountID,
                    ],
                    now: now)
            }
            throw AccountsError(.transient, message: "refresh of \(integrationID) failed: \(error)")
        }
        let expiresAt = issued.expiresIn.map { now.addingTimeInterval(TimeInterval($0)) }
        // One statement stores the sealed token and its audit row, only if no other run stored one meanwhile.
        let stored = try await vault.storeRefreshedAccessToken(
            Secret(issued.accessToken), tenantID: tenantID, integrationID: integrationID, expiresAt: expiresAt,
            refreshedBefore: now.addingTimeInterval(-Double(policy.minimumAgeSeconds)), actor: "system:refresh-token",
            details: ["expires_at": expiresAt.map { "\(Int64($0.timeIntervalSince1970))" } ?? "never"])
        guard stored else { return .skipped }
        refreshed.increment()
        return .refreshed
    }

    private func markNeedsReauth(_ integration: Integration, reason: String, now: Date) async throws {
        try await repositories.integrations.setStatus(
            .needsReauth, tenantID: integration.tenantID, integrationID: integration.id, actor: "system:refresh-token")
        try await notifier.notify(
            kind: "needs_reauth", tenantID: integration.tenantID,
            details: [
                "integration.id": "\(integration.id)", "account": integration.accountName ?? integration.accountID,
                "reason": reason,
            ], now: now)
        logger.warning(
            "token needs re-authorisation",
            metadata: [
                "tenant.id": "\(integration.tenantID)", "integration.id": "\(integration.id)", "reason": "\(reason)",
            ])
    }
}
