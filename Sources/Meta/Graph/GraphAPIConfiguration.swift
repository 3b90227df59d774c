/// Where the Graph API clients send requests: Meta's real hosts by default, a stand-in (the sandbox) by
/// configuration. All URLs are bases without a trailing slash.
public struct GraphAPIConfiguration: Sendable {
    /// Instagram Login Graph API host. Default `https://graph.instagram.com`.
    public var instagramGraphURL: String
    /// Facebook Login Graph API host. Default `https://graph.facebook.com`.
    public var facebookGraphURL: String
    /// Instagram OAuth code exchange host. Default `https://api.instagram.com`.
    public var instagramAPIURL: String
    /// The Graph API version path segment. Default `v24.0` (META.md §4; about two years of life each).
    public var version: String
    /// Total time allowed for one Graph call. Default 20 s.
    public var timeout: Duration

    /// Creates a configuration; every parameter defaults to Meta's real value.
    /// - Parameters:
    ///   - instagramGraphURL: graph.instagram.com base.
    ///   - facebookGraphURL: graph.facebook.com base.
    ///   - instagramAPIURL: api.instagram.com base.
    ///   - version: Graph API version, e.g. `v24.0`.
    ///   - timeout: total timeout per call.
    public init(
        instagramGraphURL: String = "https://graph.instagram.com",
        facebookGraphURL: String = "https://graph.facebook.com", instagramAPIURL: String = "https://api.instagram.com",
        version: String = "v24.0", timeout: Duration = .seconds(20)
    ) {
        self.instagramGraphURL = Self.trimmed(instagramGraphURL)
        self.facebookGraphURL = Self.trimmed(facebookGraphURL)
        self.instagramAPIURL = Self.trimmed(instagramAPIURL)
        self.version = version
        self.timeout = timeout
    }

    /// The Graph base URL for `platform`, with the version: `https://graph.instagram.com/v24.0`.
    /// - Parameter platform: which login the account was connected with.
    /// - Returns: the versioned base URL.
    public func graphBase(for platform: GraphPlatform) -> String {
        (platform == .instagram ? instagramGraphURL : facebookGraphURL) + "/" + version
    }

    private static func trimmed(_ url: String) -> String {
        url.hasSuffix("/") ? String(url.dropLast()) : url
    }
}

/// Which Graph API an account is reached through.
public enum GraphPlatform: String, Sendable, Hashable, CaseIterable {
    /// Instagram API with Instagram Login: `graph.instagram.com`, IG user token.
    case instagram
    /// Instagram/Messenger API with Facebook Login: `graph.facebook.com`, Page token.
    case facebook
}
