import Foundation
import Postgres

extension AuditRepository {
    /// Audit rows matching `filter`, newest first. Cross-tenant by nature: for operators only.
    /// - Parameter filter: The conditions; empty prefixes count as no condition.
    /// - Returns: At most `filter.limit` rows.
    /// - Throws: a `PostgresError`.
    public func search(_ filter: AuditFilter) async throws -> [AuditRecord] {
        let actor = filter.actorPrefix.flatMap { $0.isEmpty ? nil : $0 }
        let action = filter.actionPrefix.flatMap { $0.isEmpty ? nil : $0 }
        let limit = min(max(filter.limit, 1), 500)
        let rows = try await pool.query(
            """
            SELECT id, actor, client_id, action, details, occurred_at FROM audit_log
            WHERE (\(actor)::text IS NULL OR starts_with(actor, \(actor)::text))
              AND (\(action)::text IS NULL OR starts_with(action, \(action)::text))
              AND (\(filter.tenantID?.rawValue)::uuid IS NULL OR client_id = \(filter.tenantID?.rawValue)::uuid)
              AND (\(filter.since)::timestamptz IS NULL OR occurred_at >= \(filter.since)::timestamptz)
              AND (\(filter.beforeID)::bigint IS NULL OR id < \(filter.beforeID)::bigint)
            ORDER BY id DESC LIMIT \(limit)
            """)
        return try rows.map { row in
            let (id, actor, tenant, action, details, at) = try row.decode(
                (Int64, String, UUID?, String, PostgresJSON, Date).self)
            return AuditRecord(
                id: id,
                entry: AuditEntry(
                    actor: actor, tenantID: tenant.map(TenantID.init), action: action,
                    details: try details.decode(as: [String: String].self), occurredAt: at))
        }
    }
}
