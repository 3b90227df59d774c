public import Foundation

/// A Swift value that can be sent as a query parameter.
///
/// Conforming types: `String`, `Int`, `Int64`, `Int32`, `Bool`, `Double`, `Date` (timestamptz), `UUID`,
/// `[UInt8]` (bytea), ``PostgresJSON`` (jsonb), arrays of `String`/`Int64`/`UUID`/`[UInt8]`, and optionals
/// of these (`nil` is NULL).
public protocol PostgresEncodable: Sendable {
    /// The value in the form the server receives.
    var postgresBind: PostgresBind { get }
}

extension String: PostgresEncodable {
    /// Text format with an inferred type, so a string binds to text, varchar, jsonb or an enum-like column.
    public var postgresBind: PostgresBind { PostgresBind(typeOID: 0, format: 0, bytes: Array(utf8)) }
}

extension Int64: PostgresEncodable {
    /// Binary int8.
    public var postgresBind: PostgresBind {
        var bytes: [UInt8] = []
        WireBytes.append(self, to: &bytes)
        return PostgresBind(typeOID: PostgresOID.int8, format: 1, bytes: bytes)
    }
}

extension Int: PostgresEncodable {
    /// Binary int8.
    public var postgresBind: PostgresBind { Int64(self).postgresBind }
}

extension Int32: PostgresEncodable {
    /// Binary int4.
    public var postgresBind: PostgresBind {
        var bytes: [UInt8] = []
        WireBytes.append(self, to: &bytes)
        return PostgresBind(typeOID: PostgresOID.int4, format: 1, bytes: bytes)
    }
}

extension Bool: PostgresEncodable {
    /// Binary bool.
    public var postgresBind: PostgresBind { PostgresBind(typeOID: PostgresOID.bool, format: 1, bytes: [self ? 1 : 0]) }
}

extension Double: PostgresEncodable {
    /// Binary float8.
    public var postgresBind: PostgresBind {
        var bytes: [UInt8] = []
        WireBytes.append(bitPattern, to: &bytes)
        return PostgresBind(typeOID: PostgresOID.float8, format: 1, bytes: bytes)
    }
}

extension Date: PostgresEncodable {
    /// Binary timestamptz (microseconds since 2000-01-01 UTC).
    public var postgresBind: PostgresBind {
        let micros = Int64(((timeIntervalSince1970 - WireBytes.postgresEpochOffset) * 1_000_000).rounded())
        var bytes: [UInt8] = []
        WireBytes.append(micros, to: &bytes)
        return PostgresBind(typeOID: PostgresOID.timestamptz, format: 1, bytes: bytes)
    }
}

extension UUID: PostgresEncodable {
    /// Binary uuid.
    public var postgresBind: PostgresBind {
        let value = uuid
        let bytes = withUnsafeBytes(of: value) { Array($0) }
        return PostgresBind(typeOID: PostgresOID.uuid, format: 1, bytes: bytes)
    }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    /// The wrapped value, or NULL.
    public var postgresBind: PostgresBind {
        switch self {
        case .some(let value): return value.postgresBind
        case .none: return .null
        }
    }
}

/// An element type that arrays encode and decode (`[UInt8]` itself is bytea, not an array).
public protocol PostgresArrayElement: Sendable {
    /// Encodes an array of this element type.
    static func postgresArrayBind(_ elements: [Self]) -> PostgresBind
    /// Decodes a cell of the given type OID into an array of this element type.
    static func postgresDecodeArray(_ bytes: [UInt8], typeOID: UInt32) throws -> [Self]
}

extension Array: PostgresEncodable where Element: PostgresArrayElement {
    /// The array in binary format (bytea when the element is `UInt8`).
    public var postgresBind: PostgresBind { Element.postgresArrayBind(self) }
}
