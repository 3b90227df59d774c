import Foundation
public import Postgres

/// Appends to and reads the append-only `audit_log` (the database refuses UPDATE, DELETE and TRUNCATE).
public struct AuditRepository: Sendable {
    let pool: PostgresPool

    /// Creates the repository over `pool`.
    public init(pool: PostgresPool) { self.pool = pool }

    /// Records one event.
    /// - Throws: a `PostgresError`.
    public func record(_ entry: AuditEntry) async throws {
        try await pool.withConnection { conn in try Self.append(entry, on: conn) }
    }

    /// Records one event on `conn` (inside the caller's transaction, so the change and its audit row commit
    /// together). Runs on the connection's thread.
    /// - Throws: a `PostgresError`.
    public static func append(_ entry: AuditEntry, on conn: PostgresConnection) throws {
        let details = try PostgresJSON(encoding: entry.details)
        try conn.query(
            """
            INSERT INTO audit_log (actor, client_id, action, details)
            VALUES (\(entry.actor), \(entry.tenantID?.rawValue), \(entry.action), \(details))
            """)
    }

    /// The tenant's events, newest first.
    /// - Throws: a `PostgresError`.
    public func list(tenantID: TenantID, limit: Int = 100) async throws -> [AuditEntry] {
        let rows = try await pool.query(
            """
            SELECT actor, action, details, occurred_at FROM audit_log
            WHERE client_id = \(tenantID.rawValue) ORDER BY id DESC LIMIT \(limit)
            """)
        return try rows.map { row in
            let (actor, action, details, at) = try row.decode((String, String, PostgresJSON, Date).self)
            return AuditEntry(
                actor: actor, tenantID: tenantID, action: action,
                details: try details.decode(as: [String: String].self), occurredAt: at)
        }
    }

    /// System-wide events (no tenant), newest first, optionally only those whose action starts with `prefix`.
    /// Cross-tenant by nature: for operators only.
    /// - Throws: a `PostgresError`.
    public func listSystemEvents(actionPrefix prefix: String = "", limit: Int = 100) async throws -> [AuditEntry] {
        let rows = try await pool.query(
            """
            SELECT actor, action, details, occurred_at FROM audit_log
            WHERE client_id IS NULL AND starts_with(action, \(prefix)) ORDER BY id DESC LIMIT \(limit)
            """)
        return try rows.map { row in
            let (actor, action, details, at) = try row.decode((String, String, PostgresJSON, Date).self)
            return AuditEntry(
                actor: actor, tenantID: nil, action: action,
                details: try details.decode(as: [String: String].self), occurredAt: at)
        }
    }
}
