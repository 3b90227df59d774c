import Foundation
import Postgres
import Store
import Vault

/// Bulk-inserts tenants and Instagram integrations with sealed sandbox tokens that are due for refresh
/// (expiring in 1-9 days, last refreshed 2 days ago), 500 rows per statement.
struct LifecycleBenchSeeder {
    let pool: PostgresPool
    let vault: Vault

    func seed(tenants: Int, integrations: Int) async throws {
        let tenantIDs = (0..<tenants).map { _ in TenantID.random() }
        for chunk in stride(from: 0, to: tenants, by: 500) {
            let ids = tenantIDs[chunk..<min(chunk + 500, tenants)]
            var sql = "INSERT INTO client_integrations (id, name) VALUES "
            var binds: [any PostgresEncodable] = []
            for (offset, id) in ids.enumerated() {
                sql += (offset == 0 ? "" : ", ") + "($\(binds.count + 1), $\(binds.count + 2))"
                binds += [id.rawValue, "Bench shop \(chunk + offset)"]
            }
            try await pool.query(PostgresQuery(unsafeSQL: sql, binds: binds))
        }
        let now = Date()
        for chunk in stride(from: 0, to: integrations, by: 500) {
            var sql = """
                INSERT INTO platform_integrations (id, client_id, platform, account_id, access_token, token_key_id,
                    token_format, expires_at, last_refreshed_at) VALUES
                """
            var binds: [any PostgresEncodable] = []
            for index in chunk..<min(chunk + 500, integrations) {
                let tenantID = tenantIDs[index % tenantIDs.count]
                let integrationID = IntegrationID.random()
                let sealed = try await vault.seal(
                    Secret("sandbox-bench-\(index)"), tenantID: tenantID, integrationID: integrationID)
                let base = binds.count
                sql +=
                    (index == chunk ? " " : ", ")
                    + "($\(base + 1), $\(base + 2), 'instagram', $\(base + 3), $\(base + 4), $\(base + 5), $\(base + 6), "
                    + "$\(base + 7), $\(base + 8))"
                binds += [
                    integrationID.rawValue, tenantID.rawValue, "bench-\(index)", sealed.ciphertext, sealed.keyID,
                    sealed.formatVersion, now.addingTimeInterval(Double(86_400 + (index % 8) * 86_400)),
                    now.addingTimeInterval(-2 * 86_400),
                ]
            }
            try await pool.query(PostgresQuery(unsafeSQL: sql, binds: binds))
        }
    }
}
