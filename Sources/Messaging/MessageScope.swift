import Billing
import Foundation
import Meta
import Store

/// The tenant-side facts of one event, resolved once: whose account, which tier, which platform.
struct MessageScope: Sendable {
    /// The tenant that owns the receiving account.
    let tenantID: TenantID
    /// The integration of the receiving account.
    let integrationID: IntegrationID
    /// The tenant's tier.
    let tier: Tier
    /// The platform, as the store names it.
    let platform: Store.Platform
    /// The business account for Graph calls.
    let account: GraphAccount
    /// Whether the tenant and the integration are active.
    let isActive: Bool
    /// This run's number (1 = first run of the job).
    let attempt: Int

    /// The platform's metric dimension value.
    var platformName: String { platform.rawValue }

    /// The store platform for a webhook platform; `nil` for platforms this relay does not serve.
    static func storePlatform(_ platform: MessagingPlatform) -> Store.Platform? {
        switch platform {
        case .instagram: .instagram
        case .messenger: .facebook
        case .webchat: .webchat
        default: nil
        }
    }

    init(route: CrossTenantQueries.Route, platform: Store.Platform, accountID: String, attempt: Int) {
        self.attempt = attempt
        tenantID = route.tenantID
        integrationID = route.integrationID
        tier = route.tier
        self.platform = platform
        account = GraphAccount(platform: platform == .facebook ? .facebook : .instagram, id: accountID)
        isActive = route.tenantStatus == .active && route.integrationStatus == .active
    }

}
