import Foundation
import Postgres
import Store
import Testing

@testable import Accounts
@testable import Vault

/// The single-statement store of a refreshed token: stored once under concurrency, and never under a data key
/// that a rotation has demoted meanwhile.
@Suite struct RefreshStoreTests {
    @Test("the same integration refreshed by two runs at once: stored and audited exactly once")
    func concurrentRefreshStoresOnce() async throws {
        try await LifecycleWorld.with { world in
            let integrations = try await RefreshTests.seed(
                world, tenants: 1, count: 3, expiry: { _ in 3 * 86_400 }, age: { _ in 2 * 86_400 })
            let refresher = world.refresher()
            for integration in integrations {
                async let first = refresher.refresh(tenantID: integration.tenantID, integrationID: integration.id)
                async let second = refresher.refresh(tenantID: integration.tenantID, integrationID: integration.id)
                let results = try await [first, second]
                #expect(results.filter { $0 == .refreshed }.count == 1)
                #expect(results.filter { $0 == .skipped }.count == 1)
            }
            let counts = try await RefreshTests.refreshedCount(world)
            #expect(counts.count == 3 && counts.values.allSatisfy { $0 == 1 })
            // The stored token is the sandbox's new one and opens under its tenant and integration.
            for integration in integrations {
                let token = try #require(
                    try await world.vault.accessToken(tenantID: integration.tenantID, integrationID: integration.id))
                #expect(token.revealed().hasPrefix("IGAA"))
            }
        }
    }

    @Test("a rotation after the vault cached its active key: the refresh re-seals under the new key")
    func rotationBetweenCacheAndStore() async throws {
        try await LifecycleWorld.with { world in
            let integrations = try await RefreshTests.seed(
                world, tenants: 2, count: 2, expiry: { _ in 3 * 86_400 }, age: { _ in 2 * 86_400 })
            let refresher = world.refresher()
            let first = try #require(integrations.first)
            #expect(try await refresher.refresh(tenantID: first.tenantID, integrationID: first.id) == .refreshed)
            let cachedKeyID = try await world.vault.cachedActiveDataKey().id
            // A rotation (it does not touch the refresh path's cache): the cached key is no longer active.
            let report = try await world.vault.rotateDataKeys(batchSize: 10, workers: 1)
            #expect(report.activeKeyID != cachedKeyID)
            let second = try #require(integrations.last)
            #expect(try await refresher.refresh(tenantID: second.tenantID, integrationID: second.id) == .refreshed)
            let stored = try #require(
                try await world.repositories.integrations.find(tenantID: second.tenantID, integrationID: second.id))
            #expect(stored.tokenKeyID == report.activeKeyID)
            #expect(try await world.vault.cachedActiveDataKey().id == report.activeKeyID)
            #expect(try await world.vault.accessToken(tenantID: second.tenantID, integrationID: second.id) != nil)
            #expect(try await RefreshTests.refreshedCount(world).count == 2)
        }
    }

    @Test("no store when the integration was disabled or marked needs_reauth meanwhile")
    func notActiveNotStored() async throws {
        try await LifecycleWorld.with { world in
            let integration = try #require(
                try await RefreshTests.seed(world, tenants: 1, count: 1, expiry: { _ in 86_400 }, age: { _ in 90_000 })
                    .first)
            try await world.repositories.integrations.setStatus(
                .needsReauth, tenantID: integration.tenantID, integrationID: integration.id, actor: "test")
            let stored = try await world.vault.storeRefreshedAccessToken(
                Secret("IGAAnew"), tenantID: integration.tenantID, integrationID: integration.id,
                expiresAt: Date().addingTimeInterval(60 * 86_400), refreshedBefore: Date(), actor: "test")
            #expect(stored == false)
            #expect(try await RefreshTests.refreshedCount(world).isEmpty)
        }
    }
}
