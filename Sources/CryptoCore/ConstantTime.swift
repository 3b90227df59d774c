internal import COpenSSL

/// Comparison of secrets (MACs, signatures, tokens) whose time does not depend on where they differ.
public enum ConstantTime {
    /// Whether two byte strings are equal, compared with `CRYPTO_memcmp` after a length check.
    ///
    /// The length itself is not secret (a MAC's length is public); only the content is compared in constant time.
    /// - Parameters:
    ///   - lhs: the first byte string.
    ///   - rhs: the second byte string.
    /// - Returns: `true` when both have the same length and the same bytes.
    public static func equals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        lhs.withUnsafeBytes { a in rhs.withUnsafeBytes { b in equals(a, b) } }
    }

    /// Whether two buffers hold equal bytes, compared with `CRYPTO_memcmp` after a length check.
    /// - Parameters:
    ///   - lhs: the first buffer.
    ///   - rhs: the second buffer.
    /// - Returns: `true` when both have the same length and the same bytes.
    public static func equals(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
        guard lhs.count == rhs.count else { return false }
        guard lhs.count > 0, let a = lhs.baseAddress, let b = rhs.baseAddress else { return true }
        return CRYPTO_memcmp(a, b, lhs.count) == 0
    }

    /// Whether two strings have equal UTF-8 bytes, compared in constant time after a length check.
    /// - Parameters:
    ///   - lhs: the first string.
    ///   - rhs: the second string.
    /// - Returns: `true` when the UTF-8 bytes are identical.
    public static func equals(_ lhs: String, _ rhs: String) -> Bool {
        equals(Array(lhs.utf8), Array(rhs.utf8))
    }
}
