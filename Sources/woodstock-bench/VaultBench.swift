import ArgumentParser
import CryptoCore
import Foundation
import Logging
import Postgres
import Store
import Vault

/// `woodstock-bench vault`: re-encryption rate of a data-key rotation over `--tokens` stored tokens, beside the
/// raw AES-256-GCM seal+open rate on one thread in the same run (the ceiling). Works in a private schema that
/// it drops afterwards. Prints `key=value` lines for `scripts/bench.d/vault.sh`.
struct VaultBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vault",
        abstract: "rotate-keys re-encryption rate beside raw AES-GCM seal+open (scripts/bench vault)."
    )

    @Option(help: "PostgreSQL URL.") var databaseURL = "postgres://woodstock@127.0.0.1:55432/woodstock"
    @Option(help: "Tokens to store and rotate.") var tokens = 100_000
    @Option(help: "Tokens per rotation batch (one transaction each).") var batch = 2_000
    @Option(help: "Rotation batches in flight at once.") var workers = 2
    @Option(help: "Iterations of the raw AES-GCM measurement.") var cryptoIterations = 200_000

    func run() async throws {
        var logger = Logger(label: "woodstock.bench.vault")
        logger.logLevel = .warning
        let schema = "bench_vault_\(UUID().uuidString.prefix(8).lowercased())"
        var configuration = try PostgresConfiguration(url: databaseURL)
        let admin = PostgresPool(configuration: configuration, logger: logger)
        try await admin.query("CREATE SCHEMA \(identifier: schema)")
        configuration.searchPath = [schema]
        let pool = PostgresPool(configuration: configuration, logger: logger)
        do {
            try await measure(pool: pool, logger: logger)
        } catch {
            print("error=\(error)")
        }
        await pool.close()
        try await admin.query("DROP SCHEMA \(identifier: schema) CASCADE")
        await admin.close()
    }

    private func measure(pool: PostgresPool, logger: Logger) async throws {
        // Ceiling: seal + open of one token-sized plaintext, one thread.
        let key = try SymmetricKey.generate()
        let token = Array(String(repeating: "EAAGm0PX4ZCpsBA", count: 13).utf8)  // ~200 bytes, like a Meta token
        let aad = Array("woodstock.token.v1|1|tenant|integration|access_token".utf8)
        var start = ContinuousClock.now
        for _ in 0..<cryptoIterations {
            let sealed = try AESGCM.seal(token, using: key, authenticating: aad)
            _ = try AESGCM.open(sealed, using: key, authenticating: aad)
        }
        print("aesgcm_seal_open_per_s=\(Int(Double(cryptoIterations) / seconds(since: start)))")

        try await Migrator(pool: pool, logger: logger).migrate()
        let repos = Repositories(pool: pool)
        let vault = Vault(masterKey: try MasterKey.generate().key, repositories: repos, logger: logger)
        start = ContinuousClock.now
        try await seed(vault: vault, repos: repos, pool: pool, token: token)
        print("seed_tokens=\(tokens) seed_s=\(String(format: "%.2f", seconds(since: start)))")
        try await pool.query("VACUUM ANALYZE platform_integrations")

        start = ContinuousClock.now
        let report = try await vault.rotateDataKeys(batchSize: batch, workers: workers)
        let elapsed = seconds(since: start)
        print(
            "rotate_tokens=\(report.reencrypted) rotate_s=\(String(format: "%.2f", elapsed)) batch=\(batch) workers=\(workers)"
        )
        print("rotate_tokens_per_s=\(Int(Double(report.reencrypted) / elapsed))")
        let counts = try await repos.keys.tokenCountsByKey()
        print("keys_in_use=\(counts.count) active_key=\(report.activeKeyID) retired=\(report.retiredKeyIDs.count)")
    }

    private func seed(vault: Vault, repos: Repositories, pool: PostgresPool, token: [UInt8]) async throws {
        var tenants: [TenantID] = []
        for index in 0..<10 {
            tenants.append(try await repos.tenants.create(name: "bench \(index)", actor: "bench").id)
        }
        let sealer = try await vault.sealer()
        var next = 0
        while next < tokens {
            let end = min(next + 10_000, tokens)
            var ids: [UUID] = []
            var owners: [UUID] = []
            var accounts: [String] = []
            var blobs: [[UInt8]] = []
            for index in next..<end {
                let tenant = tenants[index % tenants.count]
                let integration = IntegrationID.random()
                blobs.append(
                    try sealer.seal(Secret(bytes: token), tenantID: tenant, integrationID: integration).ciphertext)
                ids.append(integration.rawValue)
                owners.append(tenant.rawValue)
                accounts.append("bench-\(index)")
            }
            try await pool.query(
                """
                INSERT INTO platform_integrations (id, client_id, platform, account_id, access_token, token_key_id,
                                                   token_format)
                SELECT id, client, 'instagram', account, token, \(sealer.keyID), 1
                FROM unnest(\(ids), \(owners), \(accounts), \(blobs)) AS v(id, client, account, token)
                """)
            next = end
        }
    }

    private func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
