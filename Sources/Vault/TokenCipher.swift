import CryptoCore
import Store

/// The token ciphertext format, version 1:
/// `0x01 || key id (UInt32, big-endian) || nonce (12) || ciphertext || tag (16)`, with
/// AAD = `woodstock.token.v1 | key id | tenant id | integration id | field`, so a ciphertext copied to
/// another row, tenant or field fails to open, and so does a changed header.
enum TokenCipher {
    static let formatVersion = 1
    static let headerCount = 5

    static func aad(keyID: Int, tenantID: TenantID, integrationID: IntegrationID, field: String) -> [UInt8] {
        Array("woodstock.token.v1|\(keyID)|\(tenantID)|\(integrationID)|\(field)".utf8)
    }

    static func seal(
        _ plaintext: [UInt8], keyID: Int, key: SymmetricKey, tenantID: TenantID, integrationID: IntegrationID,
        field: String
    ) throws -> SealedToken {
        guard let id = UInt32(exactly: keyID) else { throw VaultError(.unknownKey, message: "key id out of range") }
        var bytes: [UInt8] = [UInt8(formatVersion)]
        bytes.append(contentsOf: [UInt8(id >> 24), UInt8((id >> 16) & 0xFF), UInt8((id >> 8) & 0xFF), UInt8(id & 0xFF)])
        do {
            let aad = aad(keyID: keyID, tenantID: tenantID, integrationID: integrationID, field: field)
            bytes.append(contentsOf: try AESGCM.seal(plaintext, using: key, authenticating: aad))
        } catch {
            throw VaultError(.corruptCiphertext, message: "sealing failed: \(error)")
        }
        return SealedToken(ciphertext: bytes, keyID: keyID, formatVersion: formatVersion)
    }

    /// The key id recorded in the header, after checking the format version and that it matches the column.
    static func keyID(of sealed: SealedToken) throws -> Int {
        let bytes = sealed.ciphertext
        guard bytes.count >= headerCount + AESGCM.overhead, Int(bytes[0]) == formatVersion,
            sealed.formatVersion == formatVersion
        else {
            throw VaultError(.corruptCiphertext, message: "unsupported or truncated token ciphertext")
        }
        let id = bytes[1...4].reduce(0) { ($0 << 8) | Int($1) }
        guard id == sealed.keyID else {
            throw VaultError(
                .corruptCiphertext, message: "token header names key \(id) but the row says \(sealed.keyID)")
        }
        return id
    }

    static func open(
        _ sealed: SealedToken, key: SymmetricKey, tenantID: TenantID, integrationID: IntegrationID, field: String
    ) throws -> [UInt8] {
        let keyID = try keyID(of: sealed)
        let aad = aad(keyID: keyID, tenantID: tenantID, integrationID: integrationID, field: field)
        do {
            return try AESGCM.open(Array(sealed.ciphertext.dropFirst(headerCount)), using: key, authenticating: aad)
        } catch {
            throw VaultError(
                .corruptCiphertext,
                message: "token of integration \(integrationID) failed authentication (wrong key, row or tampering)")
        }
    }
}
