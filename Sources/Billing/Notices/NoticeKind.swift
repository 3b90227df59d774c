/// Why a tenant gets a notice; each kind is sent at most once per tenant and period.
public enum NoticeKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// 80 % of the monthly message allowance used.
    case usage80 = "usage_80"
    /// The monthly allowance is used up: further messages are stored but not answered.
    case usage100 = "usage_100"
    /// A token was revoked or expired: the tenant must reconnect the account.
    case needsReauth = "needs_reauth"
    /// Refreshing a token failed for good (every retry used).
    case refreshFailed = "refresh_failed"

    /// The e-mail subject.
    public var subject: String {
        switch self {
        case .usage80: "You have used 80 % of this month's AI replies"
        case .usage100: "You have used all of this month's AI replies"
        case .needsReauth: "Please reconnect your Instagram account"
        case .refreshFailed: "We could not renew your Instagram connection"
        }
    }

    /// The plain-text e-mail body (no secrets, no message content).
    /// - Parameters:
    ///   - tenantName: the tenant's display name.
    ///   - period: the billing period (`YYYY-MM`) or, for token notices, the integration's account name.
    /// - Returns: the body text.
    public func body(tenantName: String, period: String) -> String {
        switch self {
        case .usage80:
            "Hello \(tenantName),\n\nyou have used 80 % of the AI-answered messages included in your plan for "
                + "\(period). When the allowance is used up, new messages are still stored but no longer answered "
                + "automatically until next month or an upgrade.\n"
        case .usage100:
            "Hello \(tenantName),\n\nyou have used all AI-answered messages included in your plan for \(period). "
                + "New messages are stored and shown in your inbox, but the assistant does not answer them until "
                + "next month or an upgrade.\n"
        case .needsReauth:
            "Hello \(tenantName),\n\nMeta no longer accepts the connection of \(period). Please sign in to the "
                + "relay and connect the account again; until then the assistant cannot answer its messages.\n"
        case .refreshFailed:
            "Hello \(tenantName),\n\nwe could not renew the connection of \(period) after several attempts. "
                + "Please sign in to the relay and connect the account again before it expires.\n"
        }
    }

    /// The usage notices due at `used` messages out of `limit` (nil limit: unlimited, none due).
    public static func usageNotices(used: Int, limit: Int?) -> [NoticeKind] {
        guard let limit, limit > 0 else { return [] }
        var due: [NoticeKind] = []
        if used * 10 >= limit * 8 { due.append(.usage80) }
        if used >= limit { due.append(.usage100) }
        return due
    }
}
