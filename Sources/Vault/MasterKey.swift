import CryptoCore
import Foundation

/// The 256-bit master key that wraps the data keys; from `WOODSTOCK_MASTER_KEY` (64 hex digits or base64 of
/// 32 bytes) or a key file (`WOODSTOCK_MASTER_KEY_FILE`: the same text, or exactly 32 raw bytes).
///
/// Errors name the variable, never the value. `description` shows only the key's fingerprint.
///
/// ```swift
/// let master = try MasterKey(parsing: env["WOODSTOCK_MASTER_KEY"])
/// ```
public struct MasterKey: Sendable, CustomStringConvertible, CustomReflectable {
    let key: SymmetricKey
    /// A non-secret fingerprint (first 8 bytes of an HMAC of a fixed label), stored beside wrapped keys.
    public let id: String

    /// Parses the key from the environment variable's text.
    /// - Parameters:
    ///   - text: the variable's value (`nil` when unset).
    ///   - variable: the name used in error messages.
    /// - Throws: ``VaultError/Code/missingMasterKey`` when unset or empty, ``VaultError/Code/invalidMasterKey``
    ///   when it is not 32 bytes of hex or base64.
    public init(parsing text: String?, variable: String = "WOODSTOCK_MASTER_KEY") throws {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
            throw VaultError(
                .missingMasterKey,
                message: "missing \(variable): set it to 32 random bytes as base64 or hex (openssl rand -base64 32)")
        }
        let decoded: [UInt8]?
        if text.count == 64, let hex = Hex.decode(text) {
            decoded = hex
        } else {
            decoded = Base64.decode(text) ?? Base64.decodeURLSafe(text)
        }
        guard let bytes = decoded else {
            throw VaultError(.invalidMasterKey, message: "\(variable) is neither 64 hex digits nor base64")
        }
        guard bytes.count == SymmetricKey.byteCount else {
            throw VaultError(
                .invalidMasterKey, message: "\(variable) must decode to 32 bytes (256 bits), got \(bytes.count)")
        }
        try self.init(bytes: bytes)
    }

    /// Reads the key from a file holding the hex/base64 text or exactly 32 raw bytes.
    /// - Throws: ``VaultError/Code/missingMasterKey`` when the file cannot be read, or
    ///   ``VaultError/Code/invalidMasterKey``; messages name `variable` and the path, never the content.
    public init(contentsOfFile path: String, variable: String = "WOODSTOCK_MASTER_KEY_FILE") throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw VaultError(.missingMasterKey, message: "\(variable): cannot read \(path)")
        }
        if data.count == SymmetricKey.byteCount {
            try self.init(bytes: Array(data))
            return
        }
        try self.init(parsing: String(decoding: data, as: UTF8.self), variable: variable)
    }

    /// Uses 32 key bytes as they are.
    /// - Throws: ``VaultError/Code/invalidMasterKey`` for another length.
    public init(bytes: [UInt8]) throws {
        do {
            key = try SymmetricKey(bytes: bytes)
            id = Hex.encode(
                try HMACSHA256.authenticationCode(for: Array("woodstock.master-key.id".utf8), using: bytes).prefix(8))
        } catch {
            throw VaultError(.invalidMasterKey, message: "a master key must be 32 bytes")
        }
    }

    /// A fresh random master key, and its base64 text to put in `WOODSTOCK_MASTER_KEY`.
    /// - Throws: ``VaultError/Code/invalidMasterKey`` if the CSPRNG fails.
    public static func generate() throws -> (key: MasterKey, base64: String) {
        do {
            var bytes = try SecureRandom.bytes(count: SymmetricKey.byteCount)
            defer { SecureRandom.wipe(&bytes) }
            return (try MasterKey(bytes: bytes), Base64.encode(bytes))
        } catch let error as VaultError {
            throw error
        } catch {
            throw VaultError(.invalidMasterKey, message: "random generation failed")
        }
    }

    /// `MasterKey(id: …)`: the fingerprint only.
    public var description: String { "MasterKey(id: \(id))" }
    /// No children, so `dump` shows nothing secret.
    public var customMirror: Mirror { Mirror(self, children: ["id": id]) }
}
