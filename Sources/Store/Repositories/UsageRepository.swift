import Foundation
public import Postgres

/// A tenant's monthly usage (`usage_ledger`), one row per tenant and `YYYY-MM` period.
public struct UsageRepository: Sendable {
    let pool: PostgresPool

    /// Creates the repository over `pool`.
    public init(pool: PostgresPool) { self.pool = pool }

    /// Adds counts to the tenant's period (creating the row), returning the new totals.
    /// - Throws: ``StoreError/Code/invalidValue`` for a malformed period or negative counts.
    @discardableResult
    public func add(
        answered: Int, overLimit: Int = 0, tenantID: TenantID, period: String
    ) async throws -> UsageRecord {
        guard answered >= 0, overLimit >= 0 else { throw StoreError(.invalidValue, message: "negative usage") }
        guard Self.isPeriod(period) else { throw StoreError(.invalidValue, message: "period must be YYYY-MM") }
        let rows = try await pool.query(
            """
            INSERT INTO usage_ledger (client_id, period, messages_answered, messages_over_limit)
            VALUES (\(tenantID.rawValue), \(period), \(answered), \(overLimit))
            ON CONFLICT (client_id, period) DO UPDATE
                SET messages_answered = usage_ledger.messages_answered + EXCLUDED.messages_answered,
                    messages_over_limit = usage_ledger.messages_over_limit + EXCLUDED.messages_over_limit,
                    updated_at = now()
            RETURNING messages_answered, messages_over_limit
            """)
        let (total, over) = try rows.first?.decode((Int, Int).self) ?? (0, 0)
        return UsageRecord(tenantID: tenantID, period: period, messagesAnswered: total, messagesOverLimit: over)
    }

    /// The tenant's usage in `period`, or `nil` when nothing was recorded.
    /// - Throws: a `PostgresError`.
    public func find(tenantID: TenantID, period: String) async throws -> UsageRecord? {
        let rows = try await pool.query(
            """
            SELECT messages_answered, messages_over_limit FROM usage_ledger
            WHERE client_id = \(tenantID.rawValue) AND period = \(period)
            """)
        guard let row = rows.first else { return nil }
        let (total, over) = try row.decode((Int, Int).self)
        return UsageRecord(tenantID: tenantID, period: period, messagesAnswered: total, messagesOverLimit: over)
    }

    /// Whether `text` is a `YYYY-MM` period.
    public static func isPeriod(_ text: String) -> Bool {
        text.wholeMatch(of: /[0-9]{4}-(0[1-9]|1[0-2])/) != nil
    }
}
