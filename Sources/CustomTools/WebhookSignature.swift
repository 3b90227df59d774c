import CryptoCore

/// The signature on every custom-tool call: `X-Woodstock-Signature: sha256=<hex>` where `<hex>` is the
/// lowercase hex HMAC-SHA256, keyed with the tool's signing secret (its UTF-8 bytes, exactly as printed by
/// `woodstock tools add`), of `<X-Woodstock-Timestamp>.<raw body>`.
///
/// ```swift
/// let signature = try WebhookSignature.sign(body: body, timestamp: 1_764_100_000, secret: secretBytes)
/// WebhookSignature.isValid(signature, body: body, timestamp: "1764100000", secret: secretBytes)  // true
/// ```
public enum WebhookSignature {
    /// The header carrying the Unix time (seconds) of the call.
    public static let timestampHeader = "X-Woodstock-Timestamp"
    /// The header carrying `sha256=<hex>`.
    public static let signatureHeader = "X-Woodstock-Signature"
    /// The prefix of the signature header's value.
    public static let prefix = "sha256="

    /// The bytes that are signed: `<timestamp>.<body>`.
    /// - Parameters:
    ///   - body: the raw request body.
    ///   - timestamp: the timestamp header's text.
    /// - Returns: the message bytes.
    public static func signedBytes(body: [UInt8], timestamp: String) -> [UInt8] {
        Array(timestamp.utf8) + [UInt8(ascii: ".")] + body
    }

    /// The signature header value for a call.
    /// - Parameters:
    ///   - body: the raw request body.
    ///   - timestamp: Unix seconds, sent in ``timestampHeader``.
    ///   - secret: the signing secret's bytes.
    /// - Returns: `sha256=<lowercase hex>`.
    /// - Throws: `CryptoError` when OpenSSL fails.
    public static func sign(body: [UInt8], timestamp: Int, secret: [UInt8]) throws -> String {
        let code = try HMACSHA256.authenticationCode(
            for: signedBytes(body: body, timestamp: String(timestamp)), using: secret)
        return prefix + Hex.encode(code)
    }

    /// Checks a signature header value in constant time, as a receiver does.
    /// - Parameters:
    ///   - header: the `X-Woodstock-Signature` value.
    ///   - body: the raw request body.
    ///   - timestamp: the `X-Woodstock-Timestamp` value, as received.
    ///   - secret: the signing secret's bytes.
    /// - Returns: whether the signature matches.
    public static func isValid(_ header: String, body: [UInt8], timestamp: String, secret: [UInt8]) -> Bool {
        guard header.hasPrefix(prefix) else { return false }
        return HMACSHA256.isValidSignature(
            hex: header.dropFirst(prefix.count), for: signedBytes(body: body, timestamp: timestamp), using: secret)
    }
}
