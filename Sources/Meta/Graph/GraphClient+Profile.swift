import HTTP

extension GraphClient {
    /// Looks up a customer's public profile (best effort: works only after the customer messaged the account,
    /// and not for people who blocked it).
    /// - Parameters:
    ///   - userID: the customer's IGSID.
    ///   - account: the business account whose token is used.
    ///   - token: its access token.
    /// - Returns: the profile; absent fields are `nil`.
    /// - Throws: ``MetaError`` (consent missing is `.graphError`, category `invalidParameter` or `permission`).
    public func profile(of userID: String, via account: GraphAccount, token: String) async throws -> UserProfile {
        let fields =
            "name,username,profile_pic,follower_count,is_user_follow_business,is_business_follow_user,"
            + "is_verified_user"
        let target = configuration.graphBase(for: account.platform) + "/" + FormEncoding.percentEncode(userID)
        let reply = try await transport.send(
            .get, target, query: [("fields", fields)], token: token, proofSecret: proofSecret(for: account.platform),
            operation: "profile")
        let decoded = try transport.decode(ProfileResponse.self, from: reply, operation: "profile")
        return UserProfile(
            id: decoded.id ?? userID, username: decoded.username, name: decoded.name,
            profilePictureURL: decoded.profile_pic,
            followerCount: decoded.follower_count, isVerified: decoded.is_verified_user,
            followsBusiness: decoded.is_user_follow_business, businessFollowsUser: decoded.is_business_follow_user)
    }

    /// Subscribes the account to webhook fields (`POST /<account>/subscribed_apps`).
    /// - Parameters:
    ///   - account: the business account (IG user id or Page id).
    ///   - fields: e.g. `messages`, `messaging_postbacks`, `messaging_seen`, `message_reactions`.
    ///   - token: the account's token (IG user token or Page token).
    /// - Returns: Meta's `success` flag.
    /// - Throws: ``MetaError``.
    public func subscribeApp(account: GraphAccount, fields: [String], token: String) async throws -> Bool {
        let reply = try await transport.send(
            .post, url(account, "/subscribed_apps"), token: token,
            body: .form([("subscribed_fields", fields.joined(separator: ","))]),
            proofSecret: proofSecret(for: account.platform), operation: "subscribe")
        return try transport.decode(SuccessResponse.self, from: reply, operation: "subscribe").success ?? false
    }

    /// The webhook fields this app is subscribed to for the account (`GET /<account>/subscribed_apps`); empty when
    /// the app is not subscribed (a periodic check can re-subscribe).
    /// - Parameters:
    ///   - account: the business account.
    ///   - token: its token.
    /// - Returns: the subscribed fields.
    /// - Throws: ``MetaError``.
    public func subscribedFields(account: GraphAccount, token: String) async throws -> [String] {
        let reply = try await transport.send(
            .get, url(account, "/subscribed_apps"), token: token, proofSecret: proofSecret(for: account.platform),
            operation: "subscribed apps")
        let decoded = try transport.decode(SubscribedAppsResponse.self, from: reply, operation: "subscribed apps")
        return decoded.data.flatMap { $0.subscribed_fields ?? [] }
    }
}

/// A customer's profile (META.md §4).
public struct UserProfile: Sendable, Equatable {
    /// The IGSID.
    public let id: String
    /// `username`.
    public let username: String?
    /// `name` (often absent).
    public let name: String?
    /// `profile_pic`; the URL expires within days.
    public let profilePictureURL: String?
    /// `follower_count`.
    public let followerCount: Int?
    /// `is_verified_user`.
    public let isVerified: Bool?
    /// `is_user_follow_business`.
    public let followsBusiness: Bool?
    /// `is_business_follow_user`.
    public let businessFollowsUser: Bool?
}

private struct ProfileResponse: Decodable, GraphFastDecodable {
    let id: String?
    let username: String?
    let name: String?
    let profile_pic: String?
    let follower_count: Int?
    let is_verified_user: Bool?
    let is_user_follow_business: Bool?
    let is_business_follow_user: Bool?

    static func fastDecoded(from body: [UInt8]) -> ProfileResponse? {
        guard let members = GraphField.members(body), let id = JSONBodyValue.optionalString(members["id"]),
            let username = JSONBodyValue.optionalString(members["username"]),
            let name = JSONBodyValue.optionalString(members["name"]),
            let picture = JSONBodyValue.optionalString(members["profile_pic"]),
            let followers = JSONBodyValue.optionalInt(members["follower_count"]),
            let isVerified = JSONBodyValue.optionalBool(members["is_verified_user"]),
            let followsBusiness = JSONBodyValue.optionalBool(members["is_user_follow_business"]),
            let businessFollows = JSONBodyValue.optionalBool(members["is_business_follow_user"])
        else { return nil }
        return ProfileResponse(
            id: id, username: username, name: name, profile_pic: picture, follower_count: followers,
            is_verified_user: isVerified, is_user_follow_business: followsBusiness,
            is_business_follow_user: businessFollows)
    }
}

struct SuccessResponse: Decodable {
    let success: Bool?
}

private struct SubscribedAppsResponse: Decodable {
    struct App: Decodable { let subscribed_fields: [String]? }
    let data: [App]
}
