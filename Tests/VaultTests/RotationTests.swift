import Foundation
import Logging
import Postgres
import Store
import Synchronization
import Testing
import Vault

/// Seeds `count` integrations with sealed tokens in a few bulk statements; returns the tokens by integration.
func seedTokens(
    _ count: Int, vault: Vault, repos: Repositories, pool: PostgresPool
) async throws -> [IntegrationID: (TenantID, String)] {
    var expected: [IntegrationID: (TenantID, String)] = [:]
    let tenants = try await (0..<4).asyncMap { try await repos.tenants.create(name: "rot \($0)", actor: "test").id }
    let sealer = try await vault.sealer()
    var start = 0
    while start < count {
        let end = min(start + 5000, count)
        var ids: [UUID] = []
        var owners: [UUID] = []
        var accounts: [String] = []
        var blobs: [[UInt8]] = []
        var keyIDs: [Int64] = []
        for index in start..<end {
            let tenant = tenants[index % tenants.count]
            let integration = IntegrationID.random()
            let token = "tok-\(index)-\(UUID().uuidString)"
            let sealed = try sealer.seal(Secret(token), tenantID: tenant, integrationID: integration)
            expected[integration] = (tenant, token)
            ids.append(integration.rawValue)
            owners.append(tenant.rawValue)
            accounts.append("acct-\(index)")
            blobs.append(sealed.ciphertext)
            keyIDs.append(Int64(sealed.keyID))
        }
        try await pool.query(
            """
            INSERT INTO platform_integrations (id, client_id, platform, account_id, access_token, token_key_id,
                                               token_format)
            SELECT id, client, 'instagram', account, token, key, 1
            FROM unnest(\(ids), \(owners), \(accounts), \(blobs), \(keyIDs)) AS v(id, client, account, token, key)
            """)
        start = end
    }
    return expected
}

/// Shared by the reader tasks.
final class ReaderStats: Sendable {
    let reads = Atomic<Int>(0)
    let failures = Mutex<[String]>([])
    let stop = Atomic<Bool>(false)
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}

@Suite(.serialized) struct RotationTests {
    static var tokenCount: Int {
        ProcessInfo.processInfo.environment["VAULT_ROTATION_TOKENS"].flatMap(Int.init) ?? 20_000
    }

    @Test("rotation under load: readers never fail, two interruptions, one active key at the end")
    func rotationUnderLoad() async throws {
        try await withVault(maximumConnections: 6) { vault, repos, pool, _ in
            let expected = try await seedTokens(Self.tokenCount, vault: vault, repos: repos, pool: pool)
            let originalKey = try #require(try await repos.keys.activeKey()).id
            let entries = Array(expected)
            let stats = ReaderStats()

            try await withThrowingTaskGroup(of: Void.self) { group in
                for reader in 0..<2 {
                    group.addTask {
                        var index = reader
                        while !stats.stop.load(ordering: .relaxed) {
                            let (integration, (tenant, token)) = entries[index % entries.count]
                            index += 7919
                            do {
                                let value = try await vault.accessToken(tenantID: tenant, integrationID: integration)
                                if value?.revealed() != token { stats.failures.withLock { $0.append("mismatch") } }
                            } catch {
                                stats.failures.withLock { $0.append("\(error)") }
                            }
                            stats.reads.add(1, ordering: .relaxed)
                        }
                    }
                }
                // Twice: start a rotation, let it move some tokens, cancel it.
                for round in 1...2 {
                    let rotation = Task { try await vault.rotateDataKeys(batchSize: 500) }
                    let target = Self.tokenCount * round / 4
                    try await Self.waitUntil { try await Self.tokensUnderNewKeys(repos, except: originalKey) >= target }
                    rotation.cancel()
                    _ = try? await rotation.value
                }
                let report = try await vault.rotateDataKeys(batchSize: 500)
                #expect(!report.createdKey)
                stats.stop.store(true, ordering: .relaxed)
                try await group.waitForAll()
            }

            #expect(stats.failures.withLock { $0 }.isEmpty, "\(stats.failures.withLock { $0.prefix(3) })")
            #expect(stats.reads.load(ordering: .relaxed) > 0)
            let keys = try await repos.keys.allKeys()
            let active = keys.filter { $0.state == .active }
            #expect(active.count == 1)
            #expect(keys.filter { $0.state != .active }.allSatisfy { $0.state == .retired })
            let counts = try await repos.keys.tokenCountsByKey()
            #expect(counts == [try #require(active.first).id: Self.tokenCount])
            // Every token still opens to its original value.
            let rows = try await pool.query(
                "SELECT id, client_id, access_token, token_key_id FROM platform_integrations")
            for row in rows {
                let (id, tenant, bytes, keyID) = try row.decode((UUID, UUID, [UInt8], Int).self)
                let secret = try await vault.open(
                    SealedToken(ciphertext: bytes, keyID: keyID, formatVersion: 1), tenantID: TenantID(tenant),
                    integrationID: IntegrationID(id))
                #expect(secret.revealed() == expected[IntegrationID(id)]?.1)
            }
            let events = try await repos.audit.listSystemEvents(actionPrefix: "key.").map(\.action)
            #expect(events.contains("key.created") && events.contains("key.retired") && events.contains("key.rotated"))
        }
    }

    @Test("two rotations at once finish with one active key and every token under it")
    func concurrentRotations() async throws {
        try await withVault(maximumConnections: 6) { vault, repos, pool, _ in
            _ = try await seedTokens(2_000, vault: vault, repos: repos, pool: pool)
            let reports = try await withThrowingTaskGroup(of: RotationReport.self) { group in
                for _ in 0..<2 { group.addTask { try await vault.rotateDataKeys(batchSize: 200) } }
                return try await group.reduce(into: [RotationReport]()) { $0.append($1) }
            }
            let keys = try await repos.keys.allKeys()
            let active = try #require(keys.first { $0.state == .active })
            #expect(keys.filter { $0.state == .active }.count == 1)
            #expect(try await repos.keys.tokenCountsByKey() == [active.id: 2_000])
            #expect(reports.map(\.reencrypted).reduce(0, +) >= 2_000)
        }
    }

    @Test("master-key rotation re-wraps every data key; the old master key no longer opens them")
    func masterKeyRotation() async throws {
        try await withVault { vault, repos, _, oldMaster in
            let (tenant, integration) = try await makeIntegration(repos)
            try await vault.storeAccessToken(
                Secret("before"), tenantID: tenant, integrationID: integration, expiresAt: nil, actor: "test")
            _ = try await vault.rotateDataKeys()
            let newMaster = try MasterKey.generate().key
            #expect(try await vault.rotateMasterKey(to: newMaster) == 2)
            let fresh = Vault(masterKey: newMaster, repositories: repos, logger: .init(label: "t"))
            #expect(try await fresh.accessToken(tenantID: tenant, integrationID: integration)?.revealed() == "before")
            let stale = Vault(masterKey: oldMaster.key, repositories: repos, logger: .init(label: "t"))
            await expectVaultError("invalidMasterKey") {
                _ = try await stale.accessToken(tenantID: tenant, integrationID: integration)
            }
            #expect(try await repos.keys.allKeys().allSatisfy { $0.masterKeyID == newMaster.id })
            let events = try await repos.audit.listSystemEvents(actionPrefix: "key.rewrapped")
            #expect(events.count == 2)
        }
    }

    static func tokensUnderNewKeys(_ repos: Repositories, except original: Int) async throws -> Int {
        try await repos.keys.tokenCountsByKey().filter { $0.key != original }.values.reduce(0, +)
    }

    static func waitUntil(timeout: Duration = .seconds(120), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
