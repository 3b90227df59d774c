public import Foundation
public import Postgres

/// Notices to tenants (`notices`), at most one per tenant, kind and period.
public struct NoticeRepository: Sendable {
    let pool: PostgresPool

    /// Creates the repository over `pool`.
    public init(pool: PostgresPool) { self.pool = pool }

    /// Records the notice unless one of this kind was already recorded for the period.
    /// - Returns: the new notice, or `nil` when it already existed (so it is sent once).
    /// - Throws: a `PostgresError`.
    public func recordOnce(
        kind: String, period: String, details: [String: String] = [:], tenantID: TenantID
    ) async throws -> Notice? {
        let json = try PostgresJSON(encoding: details)
        let rows = try await pool.query(
            """
            INSERT INTO notices (id, client_id, kind, period, details)
            VALUES (\(UUID()), \(tenantID.rawValue), \(kind), \(period), \(json))
            ON CONFLICT (client_id, kind, period) DO NOTHING
            RETURNING id, created_at
            """)
        guard let row = rows.first else { return nil }
        let (id, created) = try row.decode((UUID, Date).self)
        return Notice(id: id, tenantID: tenantID, kind: kind, period: period, createdAt: created)
    }

    /// The tenant's notices, newest first.
    /// - Throws: a `PostgresError`.
    public func list(tenantID: TenantID, limit: Int = 100) async throws -> [Notice] {
        let rows = try await pool.query(
            """
            SELECT id, kind, period, created_at FROM notices WHERE client_id = \(tenantID.rawValue)
            ORDER BY created_at DESC, id LIMIT \(limit)
            """)
        return try rows.map { row in
            let (id, kind, period, created) = try row.decode((UUID, String, String, Date).self)
            return Notice(id: id, tenantID: tenantID, kind: kind, period: period, createdAt: created)
        }
    }

    /// Marks the tenant's notice sent.
    /// - Throws: ``StoreError/Code/notFound`` when the notice is not the tenant's.
    public func markSent(tenantID: TenantID, noticeID: UUID) async throws {
        let rows = try await pool.query(
            "UPDATE notices SET sent_at = now() WHERE client_id = \(tenantID.rawValue) AND id = \(noticeID)")
        guard rows.affectedRows == 1 else { throw StoreError(.notFound, message: "no notice \(noticeID)") }
    }
}
