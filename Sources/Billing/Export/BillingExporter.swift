import Foundation
public import Postgres
import Store

/// The `export-billing` job and `woodstock export-billing`: one CSV row per tenant for a period, with a
/// SHA-256 checksum in a `sha256sum`-compatible sidecar (`FILE.sha256`).
///
/// For a closed period the bytes are the same on every run: rows come from the ledger, sorted by tenant id,
/// with no timestamp in the file; tenants created after the period are left out.
///
/// ```swift
/// let export = try await BillingExporter(pool: pool).export(period: MeterPeriod(parsing: "2026-11"))
/// try export.write(to: "billing-2026-11.csv")   // also billing-2026-11.csv.sha256
/// ```
public struct BillingExporter: Sendable {
    let pool: PostgresPool

    /// Creates an exporter.
    public init(pool: PostgresPool) { self.pool = pool }

    /// A rendered export.
    public struct Export: Sendable, Equatable {
        /// The period.
        public var period: MeterPeriod
        /// The rows, in file order.
        public var rows: [BillingRow]
        /// The CSV bytes.
        public var csv: [UInt8]
        /// Lowercase hex SHA-256 of ``csv``.
        public var sha256: String

        /// The sidecar line: `<hex>  <file name>\n` (checks with `sha256sum -c`).
        public func checksumLine(fileName: String) -> String { "\(sha256)  \(fileName)\n" }

        /// Writes the CSV to `path` and the checksum to `path + ".sha256"`, each atomically.
        /// - Throws: a file-system error.
        public func write(to path: String) throws {
            let url = URL(fileURLWithPath: path)
            try Data(csv).write(to: url, options: .atomic)
            try Data(checksumLine(fileName: url.lastPathComponent).utf8).write(
                to: URL(fileURLWithPath: path + ".sha256"), options: .atomic)
        }
    }

    /// Builds the export of `period`.
    /// - Throws: ``BillingError`` `.storageFailed` for an unknown tier in the database, or a `PostgresError`.
    public func export(period: MeterPeriod) async throws -> Export {
        let rows = try await pool.query(
            """
            SELECT c.id::text, c.name, c.tier, COALESCE(u.messages_answered, 0)::bigint,
                   COALESCE(u.messages_over_limit, 0)::bigint
            FROM client_integrations c
            LEFT JOIN usage_ledger u ON u.client_id = c.id AND u.period = \(period.description)
            WHERE c.created_at < \(period.end)
            ORDER BY c.id
            """)
        let billingRows = try rows.map { row in
            let (id, name, tierText, answered, overLimit) = try row.decode((String, String, String, Int, Int).self)
            guard let tier = Tier(rawValue: tierText) else {
                throw BillingError(.storageFailed, message: "unknown tier \(tierText) for tenant \(id)")
            }
            return BillingRow(
                tenantID: id, name: name, tier: tier, messagesAnswered: answered, overLimitMessages: overLimit,
                period: period)
        }
        let csv = BillingCSV.render(billingRows)
        let digest = try await pool.query("SELECT encode(sha256(\(csv)), 'hex')")
        guard let sha256 = try digest.first?.decode(String.self, at: 0) else {
            throw BillingError(.storageFailed, message: "sha256 returned no row")
        }
        return Export(period: period, rows: billingRows, csv: csv, sha256: sha256)
    }
}
