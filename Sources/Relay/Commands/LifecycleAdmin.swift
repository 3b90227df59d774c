import Accounts
import Billing
import Foundation
public import Logging

extension Relay {
    /// `woodstock tokens`: integrations by status and days to expiry, so no token expires unnoticed.
    public static func tokensReport(_ settings: Settings, logger: Logger) async throws -> String {
        try await withReadPostgres(settings, logger: logger) { pool in
            try await TokensReport.compute(pool: pool).table
        }
    }

    /// `woodstock export-billing --period YYYY-MM|previous|current [--out FILE]`: one CSV row per tenant,
    /// the same bytes on every run for a closed period, with a `FILE.sha256` sidecar.
    ///
    /// - Returns: the CSV text when `out` is `nil`, else a line naming the files written.
    public static func exportBilling(
        _ settings: Settings, period: String, out: String?, logger: Logger
    ) async throws -> String {
        let parsed = try MeterPeriod(parsing: period)
        let export = try await withReadPostgres(settings, logger: logger) { pool in
            try await BillingExporter(pool: pool).export(period: parsed)
        }
        guard let out else { return String(decoding: export.csv, as: UTF8.self) }
        try export.write(to: out)
        return "wrote \(out) (\(export.rows.count) tenants) and \(out).sha256"
    }
}
