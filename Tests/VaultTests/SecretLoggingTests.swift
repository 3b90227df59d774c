import CryptoCore
import Foundation
import Logging
import Postgres
import Store
import Testing
import Vault

@Suite struct SecretLoggingTests {
    @Test("at trace level, no token or key appears in any log line")
    func noSecretsInLogs() async throws {
        let logs = CapturedLogs()
        var secrets: [String] = []
        try await withVault(logs: logs) { vault, repos, pool, master in
            var tokens: [String] = []
            for index in 0..<20 {
                let (tenant, integration) = try await makeIntegration(repos, account: "log-\(index)")
                let token = "EAAG-log-secret-\(index)-\(UUID().uuidString)"
                tokens.append(token)
                try await vault.storeAccessToken(
                    Secret(token), tenantID: tenant, integrationID: integration, expiresAt: nil, actor: "test")
                _ = try await vault.accessToken(tenantID: tenant, integrationID: integration)
            }
            _ = try await vault.rotateDataKeys(batchSize: 7)
            let (newMaster, newText) = try MasterKey.generate()
            try await vault.rotateMasterKey(to: newMaster)
            // Every data key in clear (unwrapped here with the master key), in hex and base64.
            for key in try await repos.keys.allKeys() {
                let raw = try AESGCM.open(
                    key.wrappedKey, using: try SymmetricKey(bytes: Base64.decode(newText) ?? []),
                    authenticating: Array("woodstock.data-key.v1".utf8))
                secrets += [Hex.encode(raw), Base64.encode(raw)]
            }
            secrets += tokens + [newText, master.base64]
            secrets += [newText, master.base64].map { Hex.encode(Base64.decode($0) ?? []) }
            #expect(try await pool.query("SELECT count(*) FROM audit_log").first?.decode(Int.self, at: 0) ?? 0 > 0)
            let audit = try await pool.query("SELECT details::text FROM audit_log").map {
                try $0.decode(String.self, at: 0)
            }
            for secret in secrets { #expect(!audit.contains { $0.contains(secret) }) }
        }
        let output = logs.all
        #expect(output.contains("key rotation finished"))
        #expect(output.contains("postgres query"))
        for secret in secrets { #expect(!output.contains(secret)) }
    }
}
