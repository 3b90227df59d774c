import Foundation
import Store

/// Renders billing rows as CSV (RFC 4180: CRLF line ends, fields quoted when needed), byte-for-byte deterministic.
///
/// Columns: `tenant_id,tenant_name,tier,monthly_price_usd,messages_answered,message_limit,over_limit_messages,period`.
/// Rows are sorted by tenant id (numerically when both are numbers); `message_limit` is `unlimited` for
/// enterprise; the price is in dollars with two decimals. A name that a spreadsheet would run as a formula
/// (leading `=`, `+`, `-`, `@`, tab, CR) is prefixed with `'`.
public enum BillingCSV {
    /// The header line's fields.
    public static let columns = [
        "tenant_id", "tenant_name", "tier", "monthly_price_usd", "messages_answered", "message_limit",
        "over_limit_messages", "period",
    ]

    /// The CSV document for `rows`.
    /// - Parameter rows: the rows, in any order.
    /// - Returns: the UTF-8 bytes, header first, every line ending in CRLF.
    public static func render(_ rows: [BillingRow]) -> [UInt8] {
        var text = columns.joined(separator: ",") + "\r\n"
        for row in rows.sorted(by: { isOrdered($0.tenantID, $1.tenantID) }) {
            let fields = [
                row.tenantID, neutralized(row.name), row.tier.rawValue, dollars(row.tier.monthlyPriceCents),
                String(row.messagesAnswered), row.tier.monthlyMessageLimit.map(String.init) ?? "unlimited",
                String(row.overLimitMessages), row.period.description,
            ]
            text += fields.map(escaped).joined(separator: ",") + "\r\n"
        }
        return Array(text.utf8)
    }

    static func isOrdered(_ lhs: String, _ rhs: String) -> Bool {
        if let left = Int64(lhs), let right = Int64(rhs) { return left < right }
        return lhs < rhs
    }

    static func dollars(_ cents: Int) -> String {
        let remainder = cents % 100
        return "\(cents / 100)." + (remainder < 10 ? "0\(remainder)" : "\(remainder)")
    }

    static func neutralized(_ field: String) -> String {
        guard let first = field.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return field }
        return "'" + field
    }

    static func escaped(_ field: String) -> String {
        guard field.unicodeScalars.contains(where: { ",\"\n\r".unicodeScalars.contains($0) }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
