internal import COpenSSL

/// Cryptographically secure random bytes, drawn from OpenSSL's `RAND_bytes` and nothing else.
///
/// Thread safety: every function may be called from any thread.
public enum SecureRandom {
    /// Returns `count` random bytes.
    /// - Parameter count: how many bytes (0 returns an empty array).
    /// - Returns: the random bytes.
    /// - Throws: `CryptoError(.randomFailed)` if OpenSSL cannot produce them.
    public static func bytes(count: Int) throws -> [UInt8] {
        guard count > 0 else { return [] }
        return try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            try fill(UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }

    /// Fills `buffer` with random bytes.
    /// - Parameter buffer: memory to overwrite.
    /// - Throws: `CryptoError(.randomFailed)` if OpenSSL cannot produce them.
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) throws {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        guard buffer.count <= Int(Int32.max) else {
            throw CryptoError(.invalidInput, message: "random: too many bytes")
        }
        guard RAND_bytes(base.assumingMemoryBound(to: UInt8.self), Int32(buffer.count)) == 1 else {
            throw CryptoError(.randomFailed, message: "RAND_bytes: \(OpenSSLErrors.drain())")
        }
    }

    /// Overwrites `bytes` with zeros in a way the optimizer cannot remove (`OPENSSL_cleanse`).
    /// - Parameter bytes: the secret to wipe; its count is unchanged.
    public static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { buffer in
            if let base = buffer.baseAddress { OPENSSL_cleanse(base, buffer.count) }
        }
    }
}
