import Store
import Synchronization

/// A short-lived per-process memory of each tenant's enabled tools, so a busy worker does not read
/// `tenant_tools` once per reply. Thread-safe (a mutex); bounded (cleared when it holds too many tenants).
final class ToolListCache: Sendable {
    private struct Entry {
        let fetchedAt: ContinuousClock.Instant
        let tools: [TenantTool]
    }

    private let lifetime: Duration
    private let capacity: Int
    private let entries = Mutex<[TenantID: Entry]>([:])

    /// - Parameters:
    ///   - lifetime: how long a list is reused; `.zero` turns the cache off.
    ///   - capacity: the most tenants remembered before everything is forgotten.
    init(lifetime: Duration, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The tenant's tools from memory while fresh, else from `load` (remembered on success).
    func tools(for tenantID: TenantID, load: () async throws -> [TenantTool]) async throws -> [TenantTool] {
        guard lifetime > .zero else { return try await load() }
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[tenantID] }), now - entry.fetchedAt < lifetime {
            return entry.tools
        }
        let tools = try await load()
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll() }
            entries[tenantID] = Entry(fetchedAt: now, tools: tools)
        }
        return tools
    }
}
