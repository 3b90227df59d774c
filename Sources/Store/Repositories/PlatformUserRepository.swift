public import Foundation
public import Postgres

/// A tenant's customers (`platform_users`), unique per tenant + platform + platform user id.
public struct PlatformUserRepository: Sendable {
    let pool: PostgresPool

    /// Creates the repository over `pool`.
    public init(pool: PostgresPool) { self.pool = pool }

    static func user(_ row: PostgresRow) throws -> PlatformUser {
        let (id, tenant, platform, platformUserID, username) = try row.decode(
            (UUID, UUID, String, String, String?).self)
        guard let platform = Platform(rawValue: platform) else { throw StoreError(.invalidValue, message: "platform") }
        return PlatformUser(
            id: id, tenantID: TenantID(tenant), platform: platform, platformUserID: platformUserID, username: username)
    }

    /// Finds or creates the customer; a non-nil `username` refreshes the cache.
    /// - Throws: a `PostgresError`.
    public func upsert(
        tenantID: TenantID, platform: Platform, platformUserID: String, username: String? = nil
    ) async throws -> PlatformUser {
        let rows = try await pool.query(
            """
            INSERT INTO platform_users (id, client_id, platform, platform_user_id, username,
                                        profile_fetched_at)
            VALUES (\(UUID()), \(tenantID.rawValue), \(platform.rawValue), \(platformUserID), \(username),
                    CASE WHEN \(username)::text IS NULL THEN NULL ELSE now() END)
            ON CONFLICT (client_id, platform, platform_user_id) DO UPDATE
                SET username = COALESCE(EXCLUDED.username, platform_users.username),
                    profile_fetched_at = COALESCE(EXCLUDED.profile_fetched_at, platform_users.profile_fetched_at)
            RETURNING id, client_id, platform, platform_user_id, username
            """)
        guard let row = rows.first else { throw StoreError(.notFound, message: "upsert returned no row") }
        return try Self.user(row)
    }

    /// The tenant's customer by our id, or `nil`.
    /// - Throws: a `PostgresError`.
    public func find(tenantID: TenantID, userID: UUID) async throws -> PlatformUser? {
        let rows = try await pool.query(
            """
            SELECT id, client_id, platform, platform_user_id, username FROM platform_users
            WHERE client_id = \(tenantID.rawValue) AND id = \(userID)
            """)
        return try rows.first.map(Self.user)
    }

    /// Updates the cached username.
    /// - Throws: ``StoreError/Code/notFound`` when the user is not the tenant's.
    public func setUsername(_ username: String?, tenantID: TenantID, userID: UUID) async throws {
        let rows = try await pool.query(
            """
            UPDATE platform_users SET username = \(username), profile_fetched_at = now()
            WHERE client_id = \(tenantID.rawValue) AND id = \(userID)
            """)
        guard rows.affectedRows == 1 else { throw StoreError(.notFound, message: "no user \(userID)") }
    }
}
