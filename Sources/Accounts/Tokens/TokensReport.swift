public import Foundation
import Metrics
public import Postgres

/// Tokens by days-to-expiry bucket and status, for `woodstock tokens` and the `woodstock.tokens` gauge, so a
/// token never expires unnoticed.
///
/// One aggregate query across tenants (operator view: counts only, no tenant data).
public struct TokensReport: Sendable, Equatable {
    /// One line of the report.
    public struct Line: Sendable, Equatable {
        /// `active`, `needs_reauth` or `disabled`.
        public var status: String
        /// The days-to-expiry range.
        public var bucket: ExpiryBucket
        /// How many integrations with a token fall in it.
        public var count: Int
    }

    /// The lines, ordered by status then urgency; empty buckets are left out.
    public var lines: [Line]
    /// When the report was computed.
    public var generatedAt: Date

    /// Computes the report.
    /// - Parameters:
    ///   - pool: the database.
    ///   - now: the current time.
    /// - Returns: the report.
    /// - Throws: a `PostgresError`.
    public static func compute(pool: PostgresPool, now: Date = Date()) async throws -> TokensReport {
        let rows = try await pool.query(
            """
            SELECT status, floor(extract(epoch FROM expires_at - \(now)))::bigint AS seconds_left, count(*)::bigint
            FROM platform_integrations WHERE access_token IS NOT NULL
            GROUP BY 1, 2
            """)
        var counts: [String: [ExpiryBucket: Int]] = [:]
        for row in rows {
            let (status, secondsLeft, count) = try row.decode((String, Int64?, Int).self)
            counts[status, default: [:]][ExpiryBucket(secondsLeft: secondsLeft), default: 0] += count
        }
        var lines: [Line] = []
        for status in counts.keys.sorted() {
            for bucket in ExpiryBucket.allCases {
                if let count = counts[status]?[bucket], count > 0 {
                    lines.append(Line(status: status, bucket: bucket, count: count))
                }
            }
        }
        return TokensReport(lines: lines, generatedAt: now)
    }

    /// The count for a status and bucket (0 when absent).
    public func count(status: String, bucket: ExpiryBucket) -> Int {
        lines.first { $0.status == status && $0.bucket == bucket }?.count ?? 0
    }

    /// Publishes every status × bucket as the gauge `woodstock.tokens` (dimensions `status`, `expiry`), zeros
    /// included so a bucket that empties is reset.
    public func publish() {
        for status in ["active", "needs_reauth", "disabled"] {
            for bucket in ExpiryBucket.allCases {
                Gauge(label: "woodstock.tokens", dimensions: [("status", status), ("expiry", bucket.rawValue)])
                    .record(count(status: status, bucket: bucket))
            }
        }
    }

    /// A fixed-width table for the CLI.
    public var table: String {
        var text = "STATUS        EXPIRY   COUNT\n"
        for line in lines {
            text +=
                line.status.padding(toLength: 14, withPad: " ", startingAt: 0)
                + line.bucket.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0) + "\(line.count)\n"
        }
        return text
    }
}
