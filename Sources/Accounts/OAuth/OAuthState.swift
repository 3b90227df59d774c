import CryptoCore

/// The content of an OAuth `state` parameter: who started the login, for which flow, a random nonce and when.
///
/// On the wire it is `base64url(payload) "." base64url(HMAC-SHA256(key, payload))`, where the payload is
/// `v1\n<tenant>\n<platform>\n<nonce>\n<issued-at unix seconds>`. The signature proves we issued it and
/// binds it to the tenant; the nonce, stored in Redis until used, makes it single-use (``OAuthStateStore``).
public struct OAuthState: Sendable, Hashable {
    /// The tenant (`client_integrations` id) that started the login.
    public var tenantID: String
    /// The login flow.
    public var platform: ConnectPlatform
    /// 128 random bits, base64url; the single-use key.
    public var nonce: String
    /// When the state was issued, in Unix seconds.
    public var issuedAt: Int64

    /// Creates a state value (use ``OAuthStateSigner/issue(tenantID:platform:now:)`` for a fresh one).
    public init(tenantID: String, platform: ConnectPlatform, nonce: String, issuedAt: Int64) {
        self.tenantID = tenantID
        self.platform = platform
        self.nonce = nonce
        self.issuedAt = issuedAt
    }

    /// The signed payload's bytes.
    var payload: [UInt8] {
        Array("v1\n\(tenantID)\n\(platform.rawValue)\n\(nonce)\n\(issuedAt)".utf8)
    }

    /// Parses a payload produced by ``payload``; nil when malformed.
    init?(payload bytes: [UInt8]) {
        let fields = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[0] == "v1", !fields[1].isEmpty, !fields[3].isEmpty,
            let platform = ConnectPlatform(rawValue: String(fields[2])), let issuedAt = Int64(fields[4])
        else { return nil }
        self.init(tenantID: String(fields[1]), platform: platform, nonce: String(fields[3]), issuedAt: issuedAt)
    }
}
