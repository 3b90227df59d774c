internal import COpenSSL

/// HMAC-SHA256 (RFC 2104) over OpenSSL, one-shot, plus constant-time verification.
///
/// ```swift
/// let mac = try HMACSHA256.authenticationCode(for: body, using: appSecret)
/// let ok = HMACSHA256.isValidSignature(hex: header.dropFirst("sha256=".count), for: body, using: appSecret)
/// ```
///
/// Thread safety: every function may be called from any thread.
public enum HMACSHA256 {
    /// Length of an HMAC-SHA256 code in bytes.
    public static let byteCount = 32

    /// Computes HMAC-SHA256 of `message` under `key`.
    /// - Parameters:
    ///   - message: the data to authenticate (e.g. a webhook's raw body).
    ///   - key: the secret key, any length.
    /// - Returns: the 32-byte code.
    /// - Throws: `CryptoError(.internalError)` if OpenSSL fails.
    public static func authenticationCode(for message: [UInt8], using key: [UInt8]) throws -> [UInt8] {
        try message.withUnsafeBytes { m in try key.withUnsafeBytes { k in try authenticationCode(for: m, using: k) } }
    }

    /// Computes HMAC-SHA256 of `message` under `key`, both given as raw buffers.
    /// - Parameters:
    ///   - message: the data to authenticate.
    ///   - key: the secret key, any length.
    /// - Returns: the 32-byte code.
    /// - Throws: `CryptoError(.internalError)` if OpenSSL fails.
    public static func authenticationCode(
        for message: UnsafeRawBufferPointer, using key: UnsafeRawBufferPointer
    ) throws -> [UInt8] {
        var empty: UInt8 = 0
        return try withUnsafeMutablePointer(to: &empty) { emptyPointer in
            let keyBase = key.baseAddress ?? UnsafeRawPointer(emptyPointer)
            let messageBase = (message.baseAddress ?? UnsafeRawPointer(emptyPointer)).assumingMemoryBound(
                to: UInt8.self)
            guard key.count <= Int(Int32.max) else { throw CryptoError(.invalidKey, message: "HMAC key too long") }
            return try [UInt8](unsafeUninitializedCapacity: byteCount) { out, initialized in
                var length: UInt32 = 0
                let result = HMAC(
                    EVP_sha256(), keyBase, Int32(key.count), messageBase, message.count, out.baseAddress, &length)
                guard result != nil, Int(length) == byteCount else {
                    throw CryptoError(.internalError, message: "HMAC: \(OpenSSLErrors.drain())")
                }
                initialized = byteCount
            }
        }
    }

    /// Whether `code` is the HMAC-SHA256 of `message` under `key`, compared in constant time.
    /// - Parameters:
    ///   - code: the code received (raw bytes).
    ///   - message: the data it claims to authenticate.
    ///   - key: the secret key.
    /// - Returns: `true` only for an exact match; `false` also when OpenSSL fails.
    public static func isValidAuthenticationCode(_ code: [UInt8], for message: [UInt8], using key: [UInt8]) -> Bool {
        guard code.count == byteCount, let expected = try? authenticationCode(for: message, using: key) else {
            return false
        }
        return ConstantTime.equals(expected, code)
    }

    /// Whether `hexCode` (lower- or upper-case hex, as in `X-Hub-Signature-256: sha256=<hex>` after the prefix)
    /// is the HMAC-SHA256 of `message` under `key`, compared in constant time.
    /// - Parameters:
    ///   - hexCode: 64 hex digits.
    ///   - message: the raw bytes that were signed.
    ///   - key: the secret key.
    /// - Returns: `true` only for an exact match; malformed hex is `false`.
    public static func isValidSignature(hex hexCode: some StringProtocol, for message: [UInt8], using key: [UInt8])
        -> Bool
    {
        guard let code = Hex.decode(hexCode) else { return false }
        return isValidAuthenticationCode(code, for: message, using: key)
    }
}
