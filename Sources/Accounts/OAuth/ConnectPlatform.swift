/// Which login flow connects an account: Instagram Login (an Instagram professional account, no Page)
/// or Facebook Login (a Facebook Page, and the Instagram account linked to it).
public enum ConnectPlatform: String, Sendable, Hashable, CaseIterable {
    /// Business Login for Instagram on `www.instagram.com`; tokens live 60 days and are refreshed.
    case instagram
    /// Facebook Login on `www.facebook.com`; the Page token obtained from a long-lived user token does not expire.
    case facebook

    /// The scopes the relay asks for; the callback refuses a login that did not grant all of them.
    public var requiredScopes: [String] {
        switch self {
        case .instagram: ["instagram_business_basic", "instagram_business_manage_messages"]
        case .facebook:
            [
                "instagram_basic", "instagram_manage_messages", "pages_manage_metadata", "pages_read_engagement",
                "pages_show_list", "pages_messaging",
            ]
        }
    }

    /// The scopes from `requiredScopes` that `granted` lacks, in `requiredScopes` order.
    ///
    /// - Parameter granted: the scopes Meta reports, comma- or space-separated (users can untick some).
    /// - Returns: the missing scopes; empty when the login is usable.
    public func missingScopes(granted: String) -> [String] {
        let set = Set(granted.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init))
        return requiredScopes.filter { !set.contains($0) }
    }
}
