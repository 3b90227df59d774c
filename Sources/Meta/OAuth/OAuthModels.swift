/// A token from the Instagram code exchange (short-lived, about one hour).
public struct InstagramShortLivedToken: Sendable, CustomStringConvertible {
    /// The short-lived access token. Never printed.
    public let accessToken: String
    /// The Instagram `user_id` — what webhooks carry in `entry.id`. Key the tenant's account on it.
    public let userID: String
    /// The scopes the person granted (they can untick some); empty when Meta did not say.
    public let permissions: [String]

    /// Creates a value.
    /// - Parameters:
    ///   - accessToken: the token.
    ///   - userID: the Instagram user id.
    ///   - permissions: granted scopes.
    public init(accessToken: String, userID: String, permissions: [String]) {
        self.accessToken = accessToken
        self.userID = userID
        self.permissions = permissions
    }

    /// The user id and scopes; the token is redacted.
    public var description: String {
        "InstagramShortLivedToken(userID: \(userID), permissions: \(permissions), accessToken: ********)"
    }
}

/// A token from an exchange or refresh: `{"access_token","token_type","expires_in"}`.
public struct IssuedToken: Sendable, CustomStringConvertible {
    /// The access token. Never printed.
    public let accessToken: String
    /// `token_type`, usually `bearer`.
    public let tokenType: String?
    /// Seconds until expiry (`expires_in`); `nil` for tokens that do not expire (Page tokens).
    public let expiresIn: Int?

    /// Creates a value.
    /// - Parameters:
    ///   - accessToken: the token.
    ///   - tokenType: its type.
    ///   - expiresIn: lifetime in seconds.
    public init(accessToken: String, tokenType: String?, expiresIn: Int?) {
        self.accessToken = accessToken
        self.tokenType = tokenType
        self.expiresIn = expiresIn
    }

    /// The lifetime; the token is redacted.
    public var description: String {
        "IssuedToken(expiresIn: \(expiresIn.map(String.init) ?? "none"), accessToken: ********)"
    }
}

/// The connected Instagram professional account (`/me?fields=user_id,username,…`).
public struct InstagramAccount: Sendable, Equatable {
    /// `user_id`: the id webhooks use (not `/me`'s `id`, which differs).
    public let userID: String
    /// `username`.
    public let username: String?
    /// `name`.
    public let name: String?
    /// `account_type` (`BUSINESS`, `MEDIA_CREATOR`).
    public let accountType: String?
}

/// A Facebook Page the person manages, with its Page token (`/me/accounts`).
public struct FacebookPage: Sendable, CustomStringConvertible {
    /// The Page id.
    public let id: String
    /// The Page name.
    public let name: String?
    /// The Page access token (from a long-lived user token it does not expire). Never printed.
    public let accessToken: String?
    /// The Instagram professional account linked to the Page, if any.
    public let instagramBusinessAccountID: String?
    /// The person's tasks on the Page (`MESSAGING` is needed to send).
    public let tasks: [String]

    /// Id, name and linked account; the token is redacted.
    public var description: String {
        "FacebookPage(id: \(id), name: \(name ?? "-"), instagram: \(instagramBusinessAccountID ?? "-"), "
            + "accessToken: \(accessToken == nil ? "none" : "********"))"
    }
}
