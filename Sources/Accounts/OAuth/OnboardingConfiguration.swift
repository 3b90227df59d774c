/// What the OAuth connect flow needs: app ids, the callback URLs registered with Meta, the hosts and the state key.
///
/// The composition root builds it from `Settings`; secrets never appear in ``description``.
public struct OnboardingConfiguration: Sendable, CustomStringConvertible {
    /// The Instagram App ID (Instagram Login), or nil when Instagram Login is not configured.
    public var instagramAppID: String?
    /// The Meta App ID (Facebook Login), or nil when Facebook Login is not configured.
    public var metaAppID: String?
    /// The exact redirect URI registered for Instagram Login, e.g. `https://relay.example/auth/instagram/callback`.
    public var instagramRedirectURI: String
    /// The exact redirect URI registered for Facebook Login, e.g. `https://relay.example/auth/facebook/callback`.
    public var facebookRedirectURI: String
    /// `https://www.instagram.com` (or the sandbox).
    public var instagramWWWURL: String
    /// `https://www.facebook.com` (or the sandbox).
    public var facebookWWWURL: String
    /// The Graph API version used in the Facebook dialog path, e.g. `v24.0`.
    public var graphVersion: String
    /// The HMAC key that signs OAuth states (at least 32 bytes; never logged).
    public var stateKey: [UInt8]
    /// How long a state stays valid, in seconds; default 600 (10 minutes).
    public var stateLifetimeSeconds: Int64
    /// The tiers (`client_integrations.tier`) whose tenants may connect a Facebook Page; default professional and
    /// enterprise (the composition root can derive it from `Billing.Tier.allows(.facebook)`).
    public var facebookTiers: Set<String>
    /// The webhook fields an Instagram account is subscribed to after connecting.
    public var instagramWebhookFields: [String]
    /// The webhook fields a Facebook Page is subscribed to after connecting.
    public var facebookWebhookFields: [String]

    /// Creates a configuration.
    /// - Parameters:
    ///   - publicURL: the relay's public base URL; the callbacks are `/auth/instagram/callback` and
    ///     `/auth/facebook/callback` under it.
    ///   - instagramAppID: the Instagram App ID, if Instagram Login is set up.
    ///   - metaAppID: the Meta App ID, if Facebook Login is set up.
    ///   - instagramWWWURL: the authorize host of Instagram Login.
    ///   - facebookWWWURL: the dialog host of Facebook Login.
    ///   - graphVersion: e.g. `v24.0`.
    ///   - stateKey: the state HMAC key.
    ///   - stateLifetimeSeconds: the state lifetime.
    public init(
        publicURL: String, instagramAppID: String?, metaAppID: String?,
        instagramWWWURL: String = "https://www.instagram.com", facebookWWWURL: String = "https://www.facebook.com",
        graphVersion: String = "v24.0", stateKey: [UInt8], stateLifetimeSeconds: Int64 = 600
    ) {
        let base = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        self.instagramAppID = instagramAppID
        self.metaAppID = metaAppID
        self.instagramRedirectURI = base + "/auth/instagram/callback"
        self.facebookRedirectURI = base + "/auth/facebook/callback"
        self.instagramWWWURL = instagramWWWURL
        self.facebookWWWURL = facebookWWWURL
        self.graphVersion = graphVersion
        self.stateKey = stateKey
        self.stateLifetimeSeconds = stateLifetimeSeconds
        self.facebookTiers = ["professional", "enterprise"]
        self.instagramWebhookFields = ["messages", "messaging_postbacks", "messaging_seen", "message_reactions"]
        self.facebookWebhookFields = ["messages", "messaging_postbacks"]
    }

    /// The redirect URI of `platform`'s flow.
    public func redirectURI(for platform: ConnectPlatform) -> String {
        platform == .instagram ? instagramRedirectURI : facebookRedirectURI
    }

    /// The configuration without the state key.
    public var description: String {
        "OnboardingConfiguration(instagramAppID: \(instagramAppID ?? "unset"), metaAppID: \(metaAppID ?? "unset"), "
            + "instagramRedirectURI: \(instagramRedirectURI), facebookRedirectURI: \(facebookRedirectURI), "
            + "stateKey: ********)"
    }
}
