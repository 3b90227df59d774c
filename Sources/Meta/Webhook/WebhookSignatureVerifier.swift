import CryptoCore

/// Checks `X-Hub-Signature-256: sha256=<hex>` = HMAC-SHA256(app secret, raw body) against a list of secrets
/// (the Instagram app secret for Instagram Login, the Meta app secret for Facebook Login), in constant time.
///
/// ```swift
/// let verifier = WebhookSignatureVerifier(appSecrets: [instagramAppSecret, metaAppSecret])
/// guard verifier.isValid(signatureHeader: request.headers["X-Hub-Signature-256"], body: rawBody) else { 401 }
/// ```
///
/// Thread safety: immutable; share it. `description` never shows the secrets.
public struct WebhookSignatureVerifier: Sendable, CustomStringConvertible {
    /// The header Meta signs deliveries with.
    public static let headerName = "X-Hub-Signature-256"
    private static let prefix = "sha256="

    private let secrets: [[UInt8]]

    /// Creates a verifier.
    /// - Parameter appSecrets: every app secret a delivery may be signed with; empty strings are ignored.
    public init(appSecrets: [String]) {
        secrets = appSecrets.filter { !$0.isEmpty }.map { Array($0.utf8) }
    }

    /// How many secrets are configured (a verifier with none accepts nothing).
    public var secretCount: Int { secrets.count }

    /// Whether `signatureHeader` is a valid signature of `body` under one of the secrets.
    /// - Parameters:
    ///   - signatureHeader: the `X-Hub-Signature-256` value (`sha256=` followed by 64 hex digits), or nil.
    ///   - body: the raw request body, exactly as received.
    /// - Returns: false when the header is missing, lacks the `sha256=` prefix, is not 64 hex digits, or matches no
    ///   secret. Every secret is tried, so the time taken does not reveal which one matched.
    public func isValid(signatureHeader: String?, body: [UInt8]) -> Bool {
        guard let header = signatureHeader?.trimmingSpaces, header.utf8.count == Self.prefix.utf8.count + 64,
            header.lowercased().hasPrefix(Self.prefix)
        else { return false }
        let hex = header.dropFirst(Self.prefix.count)
        guard let code = Hex.decode(hex), code.count == HMACSHA256.byteCount else { return false }
        var matched = false
        for secret in secrets where HMACSHA256.isValidAuthenticationCode(code, for: body, using: secret) {
            matched = true
        }
        return matched
    }

    /// Like ``isValid(signatureHeader:body:)`` but throws.
    /// - Throws: `MetaError(.invalidSignature)` (without the header or body in the message).
    public func verify(signatureHeader: String?, body: [UInt8]) throws {
        guard isValid(signatureHeader: signatureHeader, body: body) else {
            throw MetaError(.invalidSignature, message: signatureHeader == nil ? "missing signature" : "bad signature")
        }
    }

    /// The header value Meta would send for `body` signed with `secret` (for tests, the demo and benchmarks).
    /// - Throws: `CryptoError` if OpenSSL fails.
    public static func signatureHeader(for body: [UInt8], secret: String) throws -> String {
        prefix + Hex.encode(try HMACSHA256.authenticationCode(for: body, using: Array(secret.utf8)))
    }

    /// A description without the secrets.
    public var description: String { "WebhookSignatureVerifier(secrets: \(secrets.count) x ********)" }
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        var view = self[...]
        while view.first == " " { view = view.dropFirst() }
        while view.last == " " { view = view.dropLast() }
        return view
    }
}
