import Foundation
import Logging
import Postgres
import Store
import Testing
import Vault

@Suite struct VaultTests {
    @Test("a token round-trips and is stored only sealed")
    func roundTrip() async throws {
        try await withVault { vault, repos, pool, _ in
            let (tenant, integration) = try await makeIntegration(repos)
            let token = "IGQVJ-secret-token-\(UUID())"
            try await vault.storeAccessToken(
                Secret(token), tenantID: tenant, integrationID: integration, expiresAt: nil, actor: "test")
            #expect(try await vault.accessToken(tenantID: tenant, integrationID: integration)?.revealed() == token)
            let rows = try await pool.query(
                "SELECT access_token, token_key_id, token_format FROM platform_integrations")
            let (bytes, keyID, format) = try #require(rows.first).decode(([UInt8], Int, Int).self)
            #expect(format == 1 && bytes[0] == 1)
            #expect(bytes[1...4].reduce(0) { ($0 << 8) | Int($1) } == keyID)
            #expect(!String(decoding: bytes, as: UTF8.self).contains(token))
            let keys = try await repos.keys.allKeys()
            #expect(keys.count == 1 && keys[0].state == .active && keys[0].wrappedKey.count == 60)
        }
    }

    @Test("a ciphertext copied to another row, tenant or field fails to open")
    func wrongAAD() async throws {
        try await withVault { vault, repos, _, _ in
            let (tenantA, integrationA) = try await makeIntegration(repos)
            let (tenantB, integrationB) = try await makeIntegration(repos)
            let sealed = try await vault.seal(Secret("token-a"), tenantID: tenantA, integrationID: integrationA)
            let (_, otherIntegration) = (tenantA, IntegrationID.random())
            for (tenant, integration, field) in [
                (tenantB, integrationB, Vault.accessTokenField), (tenantA, otherIntegration, Vault.accessTokenField),
                (tenantB, integrationA, Vault.accessTokenField), (tenantA, integrationA, "refresh_token"),
            ] {
                await expectVaultError("corruptCiphertext") {
                    _ = try await vault.open(sealed, tenantID: tenant, integrationID: integration, field: field)
                }
            }
            // Copied in the database to another tenant's row.
            try await repos.integrations.storeToken(
                sealed, tenantID: tenantB, integrationID: integrationB, expiresAt: nil, actor: "attacker")
            await expectVaultError("corruptCiphertext") {
                _ = try await vault.accessToken(tenantID: tenantB, integrationID: integrationB)
            }
        }
    }

    @Test("tampering with any part of the ciphertext fails", arguments: [0, 1, 4, 5, 16, 20, -1])
    func tampered(_ position: Int) async throws {
        try await withVault { vault, repos, _, _ in
            let (tenant, integration) = try await makeIntegration(repos)
            let sealed = try await vault.seal(Secret("token"), tenantID: tenant, integrationID: integration)
            var bytes = sealed.ciphertext
            let index = position < 0 ? bytes.count - 1 : position
            bytes[index] ^= 0x01
            let tampered = SealedToken(ciphertext: bytes, keyID: sealed.keyID, formatVersion: sealed.formatVersion)
            await #expect(throws: VaultError.self) {
                _ = try await vault.open(tampered, tenantID: tenant, integrationID: integration)
            }
            let truncated = SealedToken(ciphertext: Array(bytes.prefix(10)), keyID: sealed.keyID, formatVersion: 1)
            await expectVaultError("corruptCiphertext") {
                _ = try await vault.open(truncated, tenantID: tenant, integrationID: integration)
            }
        }
    }

    @Test("an unknown key id and a wrong master key are clear errors")
    func unknownAndWrongKey() async throws {
        try await withVault { vault, repos, _, _ in
            let (tenant, integration) = try await makeIntegration(repos)
            let sealed = try await vault.seal(Secret("token"), tenantID: tenant, integrationID: integration)
            var bytes = sealed.ciphertext
            bytes[1...4] = [0, 0, 0x27, 0x0F]  // key 9999
            await expectVaultError("unknownKey") {
                _ = try await vault.open(
                    SealedToken(ciphertext: bytes, keyID: 9999, formatVersion: 1), tenantID: tenant,
                    integrationID: integration)
            }
            let stranger = Vault(
                masterKey: try MasterKey.generate().key, repositories: repos, logger: .init(label: "t"))
            await expectVaultError("invalidMasterKey") {
                _ = try await stranger.open(sealed, tenantID: tenant, integrationID: integration)
            }
            // A wrong data key: the header names another existing key.
            _ = try await vault.rotateDataKeys()
            let keys = try await repos.keys.allKeys()
            let other = try #require(keys.first { $0.id != sealed.keyID })
            var swapped = sealed.ciphertext
            swapped[4] = UInt8(other.id)
            await expectVaultError("corruptCiphertext") {
                _ = try await vault.open(
                    SealedToken(ciphertext: swapped, keyID: other.id, formatVersion: 1), tenantID: tenant,
                    integrationID: integration)
            }
        }
    }

    @Test("decrypted secrets and master keys never print themselves")
    func redaction() throws {
        let secret = Secret("EAAB-very-secret")
        #expect("\(secret)" == "Secret(********)")
        #expect(String(reflecting: secret) == "Secret(********)")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("very-secret"))
        let (master, text) = try MasterKey.generate()
        #expect(!"\(master)".contains(text) && "\(master)".contains(master.id))
    }
}

func expectVaultError(
    _ code: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected VaultError.\(code), nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as VaultError {
        #expect(error.codeName == code, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected VaultError.\(code), got \(error)", sourceLocation: sourceLocation)
    }
}
