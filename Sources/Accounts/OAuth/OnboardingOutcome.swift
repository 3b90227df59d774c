public import Foundation
public import Store

/// What an OAuth callback ended in: a connected account, or a failure with a reason a page can show.
public enum OnboardingOutcome: Sendable, Equatable {
    /// The account is connected, its token sealed and stored, and webhooks subscribed.
    case connected(ConnectedAccount)
    /// The login was refused; nothing usable was stored.
    case failed(OnboardingFailure)

    /// The failure reason, or nil on success.
    public var failureReason: OnboardingFailure.Reason? {
        if case .failed(let failure) = self { return failure.reason }
        return nil
    }
}

/// A freshly connected account.
public struct ConnectedAccount: Sendable, Equatable {
    /// The tenant that connected it.
    public var tenantID: TenantID
    /// The stored integration.
    public var integrationID: IntegrationID
    /// The login flow.
    public var platform: ConnectPlatform
    /// Instagram `user_id` (the id webhooks carry in `entry[].id`) or the Facebook Page id.
    public var accountID: String
    /// The Instagram username or the Page name.
    public var accountName: String?
    /// When the stored token expires (nil: Page tokens do not expire).
    public var expiresAt: Date?
}

/// Why a login was refused, with a message safe to show the tenant (never a token, code or secret).
public struct OnboardingFailure: Sendable, Equatable {
    /// The failure's cause; also the `reason` dimension of `woodstock.oauth.failed`.
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        /// The callback had no `state`.
        case missingState = "missing_state"
        /// The `state` is malformed or not signed by us (forged).
        case invalidState = "invalid_state"
        /// The `state` is older than 10 minutes.
        case expiredState = "expired_state"
        /// The `state` was already used.
        case replayedState = "replayed_state"
        /// The user (or Meta) declined: `error=` in the callback.
        case denied
        /// The user unticked a permission the relay needs.
        case missingScope = "missing_scope"
        /// Another tenant already connected this account.
        case accountTaken = "account_taken"
        /// Meta refused the code or a token exchange.
        case exchangeFailed = "exchange_failed"
        /// The account was stored but webhooks could not be subscribed.
        case subscribeFailed = "subscribe_failed"
        /// A temporary failure on our side or Meta's; trying again later can work.
        case unavailable
    }

    /// The cause.
    public var reason: Reason
    /// The tenant, when the state identified one.
    public var tenantID: TenantID?
    /// A sentence for the tenant's page.
    public var message: String

    /// Creates a failure.
    public init(reason: Reason, tenantID: TenantID?, message: String) {
        self.reason = reason
        self.tenantID = tenantID
        self.message = message
    }

    /// The HTTP status a callback page should answer with.
    public var httpStatus: Int {
        switch reason {
        case .missingState, .invalidState, .expiredState, .replayedState: 400
        case .denied, .missingScope: 200
        case .accountTaken: 409
        case .exchangeFailed, .subscribeFailed: 502
        case .unavailable: 503
        }
    }
}
