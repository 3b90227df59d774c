import Foundation
import Store
import Synchronization
import Testing

@testable import CustomTools

@Suite struct ToolListCacheTests {
    @Test("a fresh list is reused per tenant; each tenant and a zero lifetime read the store every time")
    func reuse() async throws {
        let loads = Mutex(0)
        func load() async throws -> [TenantTool] {
            loads.withLock { $0 += 1 }
            return []
        }
        let first = TenantID(UUID())
        let second = TenantID(UUID())
        let cache = ToolListCache(lifetime: .seconds(60))
        for _ in 0..<3 { _ = try await cache.tools(for: first, load: load) }
        #expect(loads.withLock { $0 } == 1)
        _ = try await cache.tools(for: second, load: load)
        #expect(loads.withLock { $0 } == 2)
        let off = ToolListCache(lifetime: .zero)
        for _ in 0..<3 { _ = try await off.tools(for: first, load: load) }
        #expect(loads.withLock { $0 } == 5)
    }

    @Test("a failed read is not remembered; the capacity bounds the memory")
    func failuresAndCapacity() async throws {
        struct StoreDown: Error {}
        let cache = ToolListCache(lifetime: .seconds(60), capacity: 2)
        let tenant = TenantID(UUID())
        await #expect(throws: StoreDown.self) { try await cache.tools(for: tenant) { throw StoreDown() } }
        let loads = Mutex(0)
        let load: () async throws -> [TenantTool] = {
            loads.withLock { $0 += 1 }
            return []
        }
        _ = try await cache.tools(for: tenant, load: load)
        _ = try await cache.tools(for: tenant, load: load)
        #expect(loads.withLock { $0 } == 1)
        for _ in 0..<3 { _ = try await cache.tools(for: TenantID(UUID()), load: load) }
        _ = try await cache.tools(for: tenant, load: load)  // forgotten when the cache filled up
        #expect(loads.withLock { $0 } == 5)
    }
}
