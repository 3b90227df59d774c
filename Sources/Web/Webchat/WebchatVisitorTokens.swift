import CryptoCore
public import Foundation

/// Issues and checks webchat visitor tokens: an HMAC-SHA256-signed binding of a server-chosen visitor id to one
/// tenant, so a visitor can post to and read only their own conversation with that tenant.
///
/// A token is `<visitor id>.<issued at, epoch seconds>.<base64url MAC>`, the MAC covering
/// `wcv1|<tenant>|<visitor>|<issued at>`. It travels in the ``headerName`` header (never in a URL) and is
/// valid for ``lifetime``. The visitor id is 128 random bits, so it cannot be guessed, and a token for one
/// tenant is refused by every other.
///
/// ```swift
/// let tokens = WebchatVisitorTokens(key: derivedKey)
/// let (visitorID, token) = try tokens.issue(tenantID: tenant)
/// let visitor = tokens.visitorID(from: request.headers[...], tenantID: tenant)   // nil → 403
/// ```
///
/// Thread safety: immutable; share it. `description` never shows the key.
public struct WebchatVisitorTokens: Sendable, CustomStringConvertible {
    /// The request header that carries the token.
    public static let headerName = "X-Webchat-Token"

    private let key: [UInt8]
    /// How long an issued token is accepted (default 90 days).
    public let lifetime: TimeInterval

    /// Creates an issuer.
    /// - Parameters:
    ///   - key: The signing key (at least 32 bytes; derive it from the master key).
    ///   - lifetime: How long a token is accepted.
    public init(key: [UInt8], lifetime: TimeInterval = 90 * 86_400) {
        self.key = key
        self.lifetime = lifetime
    }

    /// Derives the signing key from a secret (the master key): HMAC-SHA256(secret, a fixed label).
    /// - Parameter secret: The secret's bytes.
    /// - Returns: A 32-byte key used only for visitor tokens.
    /// - Throws: `CryptoError` if OpenSSL fails.
    public static func deriveKey(from secret: [UInt8]) throws -> [UInt8] {
        try HMACSHA256.authenticationCode(for: Array("woodstock.webchat.visitor-token.v1".utf8), using: secret)
    }

    /// Issues a new visitor for a tenant.
    /// - Parameters:
    ///   - tenantID: The tenant whose widget asks.
    ///   - date: The issue time (default now).
    /// - Returns: The new visitor id and its token.
    /// - Throws: `CryptoError` if the random source or OpenSSL fails.
    public func issue(tenantID: String, at date: Date = Date()) throws -> (visitorID: String, token: String) {
        let visitorID = "v" + Base64.encodeURLSafe(try SecureRandom.bytes(count: 16))
        let issuedAt = Int(date.timeIntervalSince1970)
        let mac = try HMACSHA256.authenticationCode(
            for: Self.message(tenantID: tenantID, visitorID: visitorID, issuedAt: issuedAt), using: key)
        return (visitorID, "\(visitorID).\(issuedAt).\(Base64.encodeURLSafe(mac))")
    }

    /// The visitor a token was issued to, if it is valid for this tenant now.
    /// - Parameters:
    ///   - token: The header value, or `nil`.
    ///   - tenantID: The tenant in the request's path.
    ///   - date: Now.
    /// - Returns: The visitor id, or `nil` when the token is missing, malformed, expired, forged or another
    ///   tenant's (the MAC is compared in constant time).
    public func visitorID(from token: String?, tenantID: String, at date: Date = Date()) -> String? {
        guard let token, token.utf8.count < 200 else { return nil }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let issuedAt = Int(parts[1]), let mac = Base64.decodeURLSafe(parts[2]),
            mac.count == HMACSHA256.byteCount
        else { return nil }
        let visitorID = String(parts[0])
        guard visitorID.hasPrefix("v"), visitorID.utf8.count <= 40,
            visitorID.utf8.allSatisfy({ Self.isTokenCharacter($0) })
        else { return nil }
        let age = date.timeIntervalSince1970 - Double(issuedAt)
        guard age >= -300, age <= lifetime else { return nil }
        let message = Self.message(tenantID: tenantID, visitorID: visitorID, issuedAt: issuedAt)
        guard HMACSHA256.isValidAuthenticationCode(mac, for: message, using: key) else { return nil }
        return visitorID
    }

    /// A description without the key.
    public var description: String { "WebchatVisitorTokens(key: ********)" }

    private static func message(tenantID: String, visitorID: String, issuedAt: Int) -> [UInt8] {
        Array("wcv1|\(tenantID)|\(visitorID)|\(issuedAt)".utf8)
    }

    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == 0x2D || byte == 0x5F
    }
}
