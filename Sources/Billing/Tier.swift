public import Store

/// The price list of the stored tier: starter $99/month, 1,000 AI-answered messages, Instagram only;
/// professional $299, 10,000, Instagram + Facebook + webchat; enterprise $899, unlimited, every
/// platform and the tenant's own tools. (One `Tier` type, Store's; Billing only adds what it costs.)
extension Tier {
    /// Monthly price in US cents.
    public var monthlyPriceCents: Int {
        switch self {
        case .starter: 9_900
        case .professional: 29_900
        case .enterprise: 89_900
        }
    }

    /// AI-answered messages per UTC calendar month; `nil` means unlimited.
    public var monthlyMessageLimit: Int? {
        switch self {
        case .starter: 1_000
        case .professional: 10_000
        case .enterprise: nil
        }
    }

    /// Platforms whose messages this tier answers.
    public var platforms: Set<Platform> {
        switch self {
        case .starter: [.instagram]
        case .professional, .enterprise: [.instagram, .facebook, .webchat]
        }
    }

    /// Whether the assistant may use the full tool set (starter gets basic chat and product search).
    public var hasFullToolSet: Bool { self != .starter }

    /// Whether the tenant's own tools (signed HTTPS webhooks) are available.
    public var allowsCustomTools: Bool { self == .enterprise }

    /// Whether messages arriving on `platform` get AI replies under this tier.
    public func allows(_ platform: Platform) -> Bool { platforms.contains(platform) }
}
