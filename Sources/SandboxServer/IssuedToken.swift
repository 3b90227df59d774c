/// An access token the sandbox issued (or accepted by prefix), with what Meta would know about it.
struct IssuedToken: Sendable {
    enum Kind: String, Sendable {
        case instagramShortLived, instagramLongLived, facebookUser, facebookLongLivedUser, facebookPage, prefixed
    }

    var kind: Kind
    /// The Instagram `user_id` (IGL) or Facebook user / page id (FBL).
    var userID: String
    var username: String
    var permissions: String
    /// Epoch milliseconds after which the token is expired (nil: never).
    var expiresAtMs: Int64?
}

/// The outcome of checking an access token.
enum TokenCheck: Sendable {
    case valid(IssuedToken)
    case missing
    case invalid
    case expired
}
