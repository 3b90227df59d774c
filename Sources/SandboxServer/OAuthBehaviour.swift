/// What the next OAuth login does; set by `POST /_sandbox/oauth`.
///
/// ```json
/// {"deny":false,"user_id":"17841400000000002","username":"other_shop","permissions":"instagram_business_basic"}
/// ```
struct OAuthBehaviour: Codable, Sendable {
    var deny: Bool?
    var userID: String?
    var username: String?
    var permissions: String?

    enum CodingKeys: String, CodingKey {
        case deny
        case userID = "user_id"
        case username, permissions
    }
}
