internal import COpenSSL

/// Password hashing with PBKDF2-HMAC-SHA256 (RFC 8018) through OpenSSL, in a self-describing text format.
///
/// The stored form is `pbkdf2-sha256$<iterations>$<salt, base64url>$<hash, base64url>`: it names the
/// algorithm and cost, so the cost can be raised later while old hashes still verify.
///
/// ```swift
/// let stored = try PasswordHash.make(password: "correct horse")    // put this in WOODSTOCK_ADMIN_PASSWORD_HASH
/// let ok = PasswordHash.verify(password: typed, against: stored)     // constant-time compare
/// ```
///
/// Thread safety: every function may be called from any thread. Hashing is deliberately slow
/// (about 0.1 s at the default cost): callers on an event loop or the cooperative pool should hash on a
/// thread of their own when many logins are expected.
public enum PasswordHash {
    /// The text prefix of the stored form.
    public static let scheme = "pbkdf2-sha256"
    /// The default iteration count (OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256 is 600,000).
    public static let defaultIterations = 600_000
    /// Salt length in bytes.
    public static let saltByteCount = 16
    /// Derived key length in bytes.
    public static let hashByteCount = 32

    /// Derives `byteCount` bytes from a password with PBKDF2-HMAC-SHA256.
    /// - Parameters:
    ///   - password: the password bytes (any length).
    ///   - salt: the salt bytes.
    ///   - iterations: the iteration count (at least 1).
    ///   - byteCount: the length of the derived key (at least 1).
    /// - Returns: the derived key.
    /// - Throws: `CryptoError(.invalidInput)` for a bad count or length, `.internalError` if OpenSSL fails.
    public static func pbkdf2SHA256(
        password: [UInt8], salt: [UInt8], iterations: Int, byteCount: Int
    ) throws -> [UInt8] {
        guard iterations >= 1, iterations <= Int(Int32.max), byteCount >= 1, byteCount <= 1024,
            password.count <= Int(Int32.max), salt.count <= Int(Int32.max)
        else { throw CryptoError(.invalidInput, message: "pbkdf2: bad iterations or length") }
        return try password.withUnsafeBytes { p in
            try salt.withUnsafeBytes { s in
                try [UInt8](unsafeUninitializedCapacity: byteCount) { out, initialized in
                    var empty: UInt8 = 0
                    let result = withUnsafeMutablePointer(to: &empty) { emptyPointer in
                        PKCS5_PBKDF2_HMAC(
                            (p.baseAddress ?? UnsafeRawPointer(emptyPointer)).assumingMemoryBound(to: CChar.self),
                            Int32(p.count),
                            (s.baseAddress ?? UnsafeRawPointer(emptyPointer)).assumingMemoryBound(to: UInt8.self),
                            Int32(s.count), Int32(iterations), EVP_sha256(), Int32(byteCount), out.baseAddress)
                    }
                    guard result == 1 else {
                        throw CryptoError(.internalError, message: "PKCS5_PBKDF2_HMAC: \(OpenSSLErrors.drain())")
                    }
                    initialized = byteCount
                }
            }
        }
    }

    /// Hashes a password with a fresh random salt.
    /// - Parameters:
    ///   - password: the password in clear; never logged or kept.
    ///   - iterations: the cost; defaults to ``defaultIterations``.
    /// - Returns: the stored form, `pbkdf2-sha256$<iterations>$<salt>$<hash>`.
    /// - Throws: ``CryptoError`` if randomness or OpenSSL fails.
    public static func make(password: String, iterations: Int = defaultIterations) throws -> String {
        let salt = try SecureRandom.bytes(count: saltByteCount)
        let hash = try pbkdf2SHA256(
            password: Array(password.utf8), salt: salt, iterations: iterations, byteCount: hashByteCount)
        return "\(scheme)$\(iterations)$\(Base64.encodeURLSafe(salt))$\(Base64.encodeURLSafe(hash))"
    }

    /// Whether `stored` is a well-formed hash in the format ``make(password:iterations:)`` writes.
    /// - Parameter stored: the stored form.
    /// - Returns: `true` when the scheme, cost, salt and hash all parse.
    public static func isWellFormed(_ stored: String) -> Bool { parse(stored) != nil }

    /// Whether `password` matches `stored`, compared in constant time.
    /// - Parameters:
    ///   - password: the password typed in.
    ///   - stored: the stored form.
    /// - Returns: `true` only for a match; a malformed `stored` is `false`.
    public static func verify(password: String, against stored: String) -> Bool {
        guard let parsed = parse(stored),
            let actual = try? pbkdf2SHA256(
                password: Array(password.utf8), salt: parsed.salt, iterations: parsed.iterations,
                byteCount: parsed.hash.count)
        else { return false }
        return ConstantTime.equals(actual, parsed.hash)
    }

    private static func parse(_ stored: String) -> (iterations: Int, salt: [UInt8], hash: [UInt8])? {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == scheme, let iterations = Int(parts[1]), iterations >= 1,
            iterations <= 100_000_000, let salt = Base64.decodeURLSafe(parts[2]),
            let hash = Base64.decodeURLSafe(parts[3]), !salt.isEmpty, hash.count >= 16, hash.count <= 1024
        else { return nil }
        return (iterations, salt, hash)
    }
}
