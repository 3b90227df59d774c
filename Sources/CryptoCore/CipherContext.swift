internal import COpenSSL

/// The one Swift owner of an `EVP_CIPHER_CTX` for AES-256-GCM; freed in `deinit`. Used by one call at a time.
final class CipherContext {
    private let context: OpaquePointer
    private var encrypting = true

    init() throws {
        guard let context = EVP_CIPHER_CTX_new() else {
            throw CryptoError(.allocationFailed, message: "EVP_CIPHER_CTX_new")
        }
        self.context = context
    }

    deinit { EVP_CIPHER_CTX_free(context) }

    func initialize(encrypt: Bool, key: UnsafeRawBufferPointer, nonce: UnsafeRawPointer) throws {
        guard key.count == SymmetricKey.byteCount, let keyBase = key.baseAddress else {
            throw CryptoError(.invalidKey)
        }
        encrypting = encrypt
        let keyPointer = keyBase.assumingMemoryBound(to: UInt8.self)
        let noncePointer = nonce.assumingMemoryBound(to: UInt8.self)
        let rc =
            encrypt
            ? EVP_EncryptInit_ex2(context, CachedCipher.aes256GCM, keyPointer, noncePointer, nil)
            : EVP_DecryptInit_ex2(context, CachedCipher.aes256GCM, keyPointer, noncePointer, nil)
        guard rc == 1 else { throw CryptoError(.internalError, message: "AES-GCM init: \(OpenSSLErrors.drain())") }
    }

    func addAAD(_ aad: UnsafeRawBufferPointer) throws {
        guard let base = aad.baseAddress, aad.count > 0 else { return }
        var written: Int32 = 0
        let input = base.assumingMemoryBound(to: UInt8.self)
        let rc =
            encrypting
            ? EVP_EncryptUpdate(context, nil, &written, input, Int32(aad.count))
            : EVP_DecryptUpdate(context, nil, &written, input, Int32(aad.count))
        guard rc == 1 else { throw CryptoError(.internalError, message: "AES-GCM aad: \(OpenSSLErrors.drain())") }
    }

    func update(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        guard let inBase = input.baseAddress, input.count > 0 else { return }
        guard let outBase = output.baseAddress, output.count >= input.count else {
            throw CryptoError(.internalError, message: "AES-GCM: output buffer too small")
        }
        var written: Int32 = 0
        let source = inBase.assumingMemoryBound(to: UInt8.self)
        let target = outBase.assumingMemoryBound(to: UInt8.self)
        let rc =
            encrypting
            ? EVP_EncryptUpdate(context, target, &written, source, Int32(input.count))
            : EVP_DecryptUpdate(context, target, &written, source, Int32(input.count))
        guard rc == 1, Int(written) == input.count else {
            throw CryptoError(.internalError, message: "AES-GCM update: \(OpenSSLErrors.drain())")
        }
    }

    func finishEncrypt() throws {
        var scratch: (UInt64, UInt64) = (0, 0)
        var written: Int32 = 0
        let rc = withUnsafeMutableBytes(of: &scratch) { buffer in
            EVP_EncryptFinal_ex(context, buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), &written)
        }
        guard rc == 1 else { throw CryptoError(.internalError, message: "AES-GCM final: \(OpenSSLErrors.drain())") }
    }

    func finishDecrypt() throws {
        var scratch: (UInt64, UInt64) = (0, 0)
        var written: Int32 = 0
        let rc = withUnsafeMutableBytes(of: &scratch) { buffer in
            EVP_DecryptFinal_ex(context, buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), &written)
        }
        guard rc == 1 else {
            ERR_clear_error()
            throw CryptoError(.authenticationFailed, message: "AES-GCM open: authentication failed")
        }
    }

    func getTag(into pointer: UnsafeMutableRawPointer) throws {
        let rc = EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(AESGCM.tagByteCount), pointer)
        guard rc == 1 else { throw CryptoError(.internalError, message: "AES-GCM tag: \(OpenSSLErrors.drain())") }
    }

    func setTag(_ pointer: UnsafeRawPointer) throws {
        // OpenSSL copies the tag and never writes through this pointer.
        let rc = EVP_CIPHER_CTX_ctrl(
            context, EVP_CTRL_GCM_SET_TAG, Int32(AESGCM.tagByteCount), UnsafeMutableRawPointer(mutating: pointer))
        guard rc == 1 else { throw CryptoError(.internalError, message: "AES-GCM tag: \(OpenSSLErrors.drain())") }
    }
}

/// AES-256-GCM fetched once from the default provider (an implicit fetch per call costs a lookup each time).
///
/// `@unchecked Sendable`: the `EVP_CIPHER` is immutable after the fetch and OpenSSL allows sharing it between
/// threads; it lives for the whole process.
private final class CachedCipher: @unchecked Sendable {
    static let shared = CachedCipher()
    static var aes256GCM: OpaquePointer? { shared.cipher }

    let cipher: OpaquePointer?

    private init() {
        cipher = EVP_CIPHER_fetch(nil, "AES-256-GCM", nil) ?? EVP_aes_256_gcm()
    }
}
