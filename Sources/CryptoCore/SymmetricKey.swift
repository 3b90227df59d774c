internal import COpenSSL

/// A 256-bit secret key for AES-256-GCM (and any other use that needs 32 secret bytes).
///
/// The bytes live in one heap block that is wiped with `OPENSSL_cleanse` when the last copy of the key goes away.
/// `description`, `debugDescription` and `dump` never show the bytes.
///
/// ```swift
/// let key = try SymmetricKey.generate()
/// let sealed = try AESGCM.seal(plaintext, using: key, authenticating: aad)
/// ```
///
/// Thread safety: immutable, safe to share between tasks.
public struct SymmetricKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The key length in bytes (32).
    public static let byteCount = 32

    private let storage: KeyStorage

    /// Creates a key from exactly 32 bytes.
    /// - Parameter bytes: the key material; any other length is rejected.
    /// - Throws: `CryptoError(.invalidKey)` when `bytes` is not 32 bytes long.
    public init(bytes: some Collection<UInt8>) throws {
        guard bytes.count == Self.byteCount else {
            throw CryptoError(.invalidKey, message: "a key must be \(Self.byteCount) bytes, got \(bytes.count)")
        }
        storage = KeyStorage(copying: bytes)
    }

    /// Draws a fresh key from the CSPRNG (`RAND_bytes`).
    /// - Returns: a new random key.
    /// - Throws: `CryptoError(.randomFailed)` if the CSPRNG fails.
    public static func generate() throws -> SymmetricKey {
        var bytes = try SecureRandom.bytes(count: byteCount)
        defer { SecureRandom.wipe(&bytes) }
        return try SymmetricKey(bytes: bytes)
    }

    /// Calls `body` with the raw key bytes. The pointer is valid only inside `body`; never store it.
    /// - Parameter body: a closure that reads the 32 key bytes.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(storage.bytes))
    }

    /// Compares two keys in constant time.
    public static func == (lhs: SymmetricKey, rhs: SymmetricKey) -> Bool {
        lhs.withUnsafeBytes { a in rhs.withUnsafeBytes { b in ConstantTime.equals(a, b) } }
    }

    /// Always `SymmetricKey(<redacted>)`: a key never appears in a log line.
    public var description: String { "SymmetricKey(<redacted>)" }
    /// Always `SymmetricKey(<redacted>)`.
    public var debugDescription: String { description }
    /// A mirror without children, so `dump(key)` shows nothing secret.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}

/// Owns the key bytes and wipes them on deinit.
///
/// `@unchecked Sendable`: `bytes` is written once in `init` and only read afterwards.
private final class KeyStorage: @unchecked Sendable {
    let bytes: UnsafeMutableRawBufferPointer

    init(copying source: some Collection<UInt8>) {
        bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: source.count, alignment: 16)
        bytes.copyBytes(from: source)
    }

    deinit {
        if let base = bytes.baseAddress { OPENSSL_cleanse(base, bytes.count) }
        bytes.deallocate()
    }
}
