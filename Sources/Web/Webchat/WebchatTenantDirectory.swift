import Billing
import Foundation
import Messaging
public import Store
import Synchronization

/// What the webchat routes need to know about a tenant, looked up by ``WebchatTenantDirectory``.
public struct WebchatTenant: Sendable, Equatable {
    /// The tenant.
    public let tenantID: TenantID
    /// Its tier.
    public let tier: Tier
    /// Whether the tier includes webchat (professional and enterprise).
    public let includesWebchat: Bool
    /// Whether the tenant and its webchat integration are active.
    public let isActive: Bool
    /// Origins allowed to embed the widget (persona setting `webchat.origins`, comma-separated); empty: any.
    public let allowedOrigins: [String]

    /// Whether a browser on `origin` may call the webchat API (no `Origin` header: not a browser, allowed).
    /// - Parameter origin: The request's `Origin` header.
    /// - Returns: `true` when allowed.
    public func allows(origin: String?) -> Bool {
        guard let origin, !allowedOrigins.isEmpty else { return true }
        let normalized = Self.normalize(origin)
        return allowedOrigins.contains(normalized)
    }

    static func normalize(_ origin: some StringProtocol) -> String {
        var text = origin.trimmingCharacters(in: .whitespaces).lowercased()
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}

/// Looks up tenants for the webchat routes and creates a tenant's webchat integration on first use when its
/// tier includes webchat (`platform_integrations` row `webchat` / `webchat:<tenant id>`, no token), so
/// process-message routes the visitor's messages like any other account's.
///
/// Answers are cached for a few seconds per process (a tier change or a disabled tenant takes effect within
/// ``cacheSeconds``). Thread-safe.
public final class WebchatTenantDirectory: Sendable {
    private let repositories: Repositories
    /// How long a lookup is reused.
    public let cacheSeconds: Double
    private let cache = Mutex<[TenantID: (tenant: WebchatTenant?, expires: Date)]>([:])

    /// Creates a directory.
    /// - Parameters:
    ///   - repositories: The tenant-scoped repositories.
    ///   - cacheSeconds: How long a lookup is reused (default 5 s).
    public init(repositories: Repositories, cacheSeconds: Double = 5) {
        self.repositories = repositories
        self.cacheSeconds = cacheSeconds
    }

    /// The tenant's webchat facts, or `nil` for an unknown tenant.
    /// - Parameter tenantID: The tenant in the request's path.
    /// - Returns: The facts; the webchat integration exists afterwards when the tier includes webchat.
    /// - Throws: Storage errors.
    public func lookup(_ tenantID: TenantID) async throws -> WebchatTenant? {
        let now = Date()
        if let cached = cache.withLock({ $0[tenantID] }), cached.expires > now { return cached.tenant }
        let tenant = try await load(tenantID)
        cache.withLock { cache in
            if cache.count > 10_000 { cache.removeAll() }
            cache[tenantID] = (tenant, now.addingTimeInterval(cacheSeconds))
        }
        return tenant
    }

    private func load(_ tenantID: TenantID) async throws -> WebchatTenant? {
        guard let tenant = try await repositories.tenants.find(tenantID) else { return nil }
        let includesWebchat = tenant.tier.allows(.webchat)
        var integrationActive = false
        if includesWebchat {
            let existing = try await repositories.integrations.list(tenantID: tenantID).first {
                $0.platform == .webchat
            }
            if let existing {
                integrationActive = existing.status == .active
            } else if tenant.status == .active {
                let created = try await repositories.integrations.connect(
                    tenantID: tenantID, platform: .webchat, accountID: WebchatInbound.accountID(tenantID: tenantID),
                    accountName: "Website chat", actor: "system:webchat")
                integrationActive = created.status == .active
            }
        }
        let origins = (tenant.persona.settings["webchat.origins"] ?? "").split(separator: ",")
            .map { WebchatTenant.normalize($0) }.filter { !$0.isEmpty }
        return WebchatTenant(
            tenantID: tenantID, tier: tenant.tier, includesWebchat: includesWebchat,
            isActive: tenant.status == .active && integrationActive, allowedOrigins: origins)
    }
}
