/// Builds the browser URLs that start Instagram Login and Facebook Login (META.md §1A step 1, §1B).
public enum AuthorizeURL {
    /// The authorize URL for `platform`.
    /// - Parameters:
    ///   - platform: the login flow.
    ///   - appID: the Instagram App ID (Instagram Login) or the Meta App ID (Facebook Login).
    ///   - state: the signed state token.
    ///   - configuration: hosts, redirect URIs and Graph version.
    /// - Returns: the URL to send the tenant's browser to.
    public static func make(
        platform: ConnectPlatform, appID: String, state: String, configuration: OnboardingConfiguration
    ) -> String {
        let redirect = configuration.redirectURI(for: platform)
        let scope = platform.requiredScopes.joined(separator: ",")
        switch platform {
        case .instagram:
            return configuration.instagramWWWURL + "/oauth/authorize?"
                + query([
                    ("client_id", appID), ("redirect_uri", redirect), ("response_type", "code"), ("scope", scope),
                    ("state", state), ("enable_fb_login", "0"), ("force_authentication", "1"),
                ])
        case .facebook:
            return configuration.facebookWWWURL + "/\(configuration.graphVersion)/dialog/oauth?"
                + query([
                    ("client_id", appID), ("redirect_uri", redirect), ("response_type", "code"), ("scope", scope),
                    ("state", state),
                ])
        }
    }

    /// `name=value&…` with RFC 3986 percent-encoding (everything but unreserved characters).
    static func query(_ items: [(String, String)]) -> String {
        items.map { "\(percentEncode($0.0))=\(percentEncode($0.1))" }.joined(separator: "&")
    }

    /// Percent-encodes every byte outside `A-Z a-z 0-9 - . _ ~`.
    static func percentEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%"
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 0x0F)]))
            }
        }
        return out
    }
}
