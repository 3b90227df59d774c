internal import COpenSSL

/// AES-256-GCM authenticated encryption (OpenSSL EVP) with a random 96-bit nonce and additional authenticated data.
///
/// A sealed message is `nonce (12 bytes) || ciphertext || tag (16 bytes)`; ``overhead`` bytes longer than the
/// plaintext. Opening fails with `CryptoError(.authenticationFailed)` when any byte of the nonce, the ciphertext,
/// the tag or the AAD differs from what was sealed.
///
/// ```swift
/// let aad = Array("tenant:42/instagram.access_token".utf8)
/// let sealed = try AESGCM.seal(Array(token.utf8), using: key, authenticating: aad)
/// let plain = try AESGCM.open(sealed, using: key, authenticating: aad)
/// ```
///
/// Thread safety: every function may be called from any thread; each call uses its own cipher context.
/// Cost: one allocation for the result plus OpenSSL's cipher context per call.
public enum AESGCM {
    /// Length of the random nonce (96 bits).
    public static let nonceByteCount = 12
    /// Length of the authentication tag (128 bits).
    public static let tagByteCount = 16
    /// How many bytes a sealed message adds to its plaintext (nonce + tag).
    public static let overhead = nonceByteCount + tagByteCount

    /// Encrypts and authenticates `plaintext` under a fresh random nonce.
    /// - Parameters:
    ///   - plaintext: the bytes to encrypt (may be empty).
    ///   - key: the 256-bit key.
    ///   - aad: data bound to the ciphertext but not encrypted (e.g. tenant and field); may be empty.
    /// - Returns: `nonce || ciphertext || tag`.
    /// - Throws: `CryptoError(.randomFailed)`, `.invalidInput` (over 2 GiB) or `.internalError` from OpenSSL.
    public static func seal(
        _ plaintext: [UInt8], using key: SymmetricKey, authenticating aad: [UInt8] = []
    ) throws -> [UInt8] {
        try seal(plaintext, using: key, nonce: nil, authenticating: aad)
    }

    /// Verifies and decrypts a message produced by ``seal(_:using:authenticating:)``.
    /// - Parameters:
    ///   - sealed: `nonce || ciphertext || tag`.
    ///   - key: the key it was sealed with.
    ///   - aad: exactly the AAD it was sealed with.
    /// - Returns: the plaintext.
    /// - Throws: `CryptoError(.authenticationFailed)` when anything was tampered with or the key/AAD is wrong;
    ///   `.invalidInput` when `sealed` is shorter than ``overhead``.
    public static func open(
        _ sealed: [UInt8], using key: SymmetricKey, authenticating aad: [UInt8] = []
    ) throws -> [UInt8] {
        guard sealed.count >= overhead else {
            throw CryptoError(.invalidInput, message: "AES-GCM open: sealed message shorter than \(overhead) bytes")
        }
        guard sealed.count <= Int(Int32.max) else { throw CryptoError(.invalidInput, message: "AES-GCM: too large") }
        let count = sealed.count - overhead
        let context = try CipherContext()
        return try sealed.withUnsafeBytes { input in
            try aad.withUnsafeBytes { aadBytes in
                try key.withUnsafeBytes { keyBytes in
                    guard let inBase = input.baseAddress else { throw CryptoError(.invalidInput) }
                    let nonce = inBase.assumingMemoryBound(to: UInt8.self)
                    let ciphertext = nonce + nonceByteCount
                    let tag = ciphertext + count
                    try context.initialize(encrypt: false, key: keyBytes, nonce: nonce)
                    try context.addAAD(aadBytes)
                    var plaintext = [UInt8](repeating: 0, count: count)
                    do {
                        try plaintext.withUnsafeMutableBytes { out in
                            try context.update(UnsafeRawBufferPointer(start: ciphertext, count: count), into: out)
                            try context.setTag(UnsafeRawPointer(tag))
                            try context.finishDecrypt()
                        }
                    } catch {
                        SecureRandom.wipe(&plaintext)
                        throw error
                    }
                    return plaintext
                }
            }
        }
    }

    /// Seals with a caller-chosen nonce. Internal: only known-answer tests may fix the nonce; reusing a nonce
    /// under one key destroys GCM's security.
    static func seal(
        _ plaintext: [UInt8], using key: SymmetricKey, nonce fixedNonce: [UInt8]?, authenticating aad: [UInt8]
    ) throws -> [UInt8] {
        guard plaintext.count <= Int(Int32.max) - overhead else {
            throw CryptoError(.invalidInput, message: "AES-GCM seal: plaintext too large")
        }
        if let fixedNonce, fixedNonce.count != nonceByteCount {
            throw CryptoError(.invalidNonce, message: "AES-GCM nonce must be \(nonceByteCount) bytes")
        }
        let context = try CipherContext()
        let total = plaintext.count + overhead
        return try [UInt8](unsafeUninitializedCapacity: total) { out, initialized in
            guard let outBase = out.baseAddress else { throw CryptoError(.allocationFailed) }
            let nonce = UnsafeMutableRawBufferPointer(start: outBase, count: nonceByteCount)
            if let fixedNonce {
                nonce.copyBytes(from: fixedNonce)
            } else {
                try SecureRandom.fill(nonce)
            }
            let body = UnsafeMutableRawBufferPointer(start: outBase + nonceByteCount, count: plaintext.count)
            try key.withUnsafeBytes { keyBytes in
                try context.initialize(encrypt: true, key: keyBytes, nonce: outBase)
            }
            try aad.withUnsafeBytes { try context.addAAD($0) }
            try plaintext.withUnsafeBytes { try context.update($0, into: body) }
            try context.finishEncrypt()
            try context.getTag(into: outBase + nonceByteCount + plaintext.count)
            initialized = total
        }
    }
}
