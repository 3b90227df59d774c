import Foundation

/// A SQL statement and its binds. String interpolation turns every `\(value)` into a `$n` parameter,
/// so values never become SQL text.
///
/// ```swift
/// let rows = try await pool.query("SELECT name FROM client_integrations WHERE id = \(tenantID)")
/// ```
public struct PostgresQuery: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The SQL text with `$1…` placeholders.
    public private(set) var sql: String
    /// The parameter values, in placeholder order.
    public private(set) var binds: [PostgresBind]

    /// A statement whose SQL is given as is and whose values are `binds` (`$1` is `binds[0]`).
    /// The SQL must be a constant: never build it from input.
    public init(unsafeSQL sql: String, binds: [any PostgresEncodable] = []) {
        self.sql = sql
        self.binds = binds.map(\.postgresBind)
    }

    /// A statement with no parameters.
    public init(stringLiteral value: String) {
        self.sql = value
        self.binds = []
    }

    /// Builds the statement from an interpolation.
    public init(stringInterpolation: StringInterpolation) {
        self.sql = stringInterpolation.sql
        self.binds = stringInterpolation.binds
    }

    /// The SQL text only; bind values are never shown.
    public var description: String { sql }

    /// Collects SQL text and binds.
    public struct StringInterpolation: StringInterpolationProtocol {
        /// The SQL so far.
        var sql: String
        /// The binds so far.
        var binds: [PostgresBind]

        /// Starts an empty statement.
        public init(literalCapacity: Int, interpolationCount: Int) {
            sql = ""
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds = []
            binds.reserveCapacity(interpolationCount)
        }

        /// Appends SQL text.
        public mutating func appendLiteral(_ literal: String) { sql += literal }

        /// Appends a `$n` placeholder bound to `value`.
        public mutating func appendInterpolation(_ value: some PostgresEncodable) {
            binds.append(value.postgresBind)
            sql += "$\(binds.count)"
        }

        /// Appends a `$n` placeholder bound to `value`, or NULL when it is `nil`.
        public mutating func appendInterpolation<T: PostgresEncodable>(_ value: T?) {
            binds.append(value.postgresBind)
            sql += "$\(binds.count)"
        }

        /// Appends an identifier (schema, table, column), double-quoted and escaped.
        public mutating func appendInterpolation(identifier: String) {
            sql += "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }

        /// Appends SQL text verbatim. The text must be a constant: never build it from input.
        public mutating func appendInterpolation(unsafeRaw text: String) { sql += text }
    }
}
