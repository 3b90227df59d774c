public import Foundation

/// A Swift value that can be read from a result cell (results arrive in binary format).
public protocol PostgresDecodable: Sendable {
    /// Decodes a non-NULL cell of the given type OID.
    /// - Throws: ``PostgresError/Code/decodingFailed`` when the column type does not fit.
    static func postgresDecode(_ bytes: [UInt8], typeOID: UInt32) throws -> Self
    /// The value for a NULL cell; throws unless the type is an `Optional`.
    static func postgresDecodeNull() throws -> Self
}

extension PostgresDecodable {
    /// Non-optional types refuse NULL.
    public static func postgresDecodeNull() throws -> Self {
        throw PostgresError(.decodingFailed, message: "unexpected NULL for \(Self.self)")
    }
}

func mismatch(_ type: Any.Type, _ oid: UInt32) -> PostgresError {
    PostgresError(.decodingFailed, message: "cannot decode type OID \(oid) as \(type)")
}

extension String: PostgresDecodable {
    /// Decodes text-like columns, and json/jsonb as their JSON text.
    public static func postgresDecode(_ bytes: [UInt8], typeOID: UInt32) throws -> String {
        if PostgresOID.textLike.contains(typeOID) { return String(decoding: bytes, as: UTF8.self) }
        if typeOID == PostgresOID.jsonb { return String(decoding: bytes.dropFirst(), as: UTF8.self) }
        throw mismatch(String.self, typeOID)
    }
}

extension Int64: PostgresDecodable {
    /// Decodes int2, int4, int8 and oid.
    public static func postgresDecode(_ bytes: [UInt8], typeOID: UInt32) throws -> Int64 {
        let slice = bytes[...]
        switch typeOID {
        case PostgresOID.int8:
            if let value = WireBytes.read(Int64.self, from: slice) { return value }
        case PostgresOID.int4:
            if let value = WireBytes.read(Int32.self, from: slice) { return Int64(value) }
        case PostgresOID.int2:
            if let value = WireBytes.read(Int16.self, from: slice) { return Int64(value) }
        case PostgresOID.oid:
            if let value = WireBytes.read(UInt32.self, from: slice) { return Int64(value) }
        default: break
        }
        throw mismatch(Int64.self, typeOID)
    }
}

extension Int: PostgresDecodable {
    /// Decodes int2, int4, int8 and oid.
    public static func postgresDecode(_ bytes: [UInt8], typeOID: UInt32) throws -> Int {
        Int(try Int64.postgresDecode(bytes, typeOID: typeOID))
    }
}

extension Int32: PostgresDecodable {
    /// Decodes int2 and int4 (and int8 values that fit).
    public static func postgresDecode(_ bytes: [UInt8], typeOID: UInt32) throws -> Int32 {
        let wide = try Int64.postgresDecode(bytes, typeOID: typeOID)
        guard let value = Int32(exactly: wide) else { throw mismatch(Int32.self, typeOID) }
        return value
    }
}

extension Bool: PostgresDecodable {
    /// Decodes bool.
    public static func postgresDecode(_ bytes: [UInt8], typeOID: UInt32) throws -> Bool {
        guard typeOID == PostgresOID.bool, let byte = bytes.first else { throw mismatch(Bool.self, typeOID) }
        return byte != 0
    }
}

extension Double: PostgresDecodable {
    /// Decodes float4, float8 and integer columns.
    public static func postgresDecode(_ bytes: [UInt8], typeOID: UInt32) throws -> Double {
        switch typeOID {
        case PostgresOID.float8:
            if let bits = WireBytes.read(UInt64.self, from: bytes[...]) { return Double(bitPattern: bits) }
        case PostgresOID.float4:
            if let bits = WireBytes.read(UInt32.self, from: bytes[...]) { return Double(Float(bitPattern: bits)) }
        case PostgresOID.int2, PostgresOID.int4, PostgresOID.int8:
            return Double(try Int64.postgresDecode(bytes, typeOID: typeOID))
        default: break
        }
        throw mismatch(Double.self, typeOID)
    }
}

extension Date: PostgresDecodable {
    /// Decodes timestamptz (and timestamp, read as UTC).
    public static func postgresDecode(_ bytes: [UInt8], typeOID: UInt32) throws -> Date {
        guard typeOID == PostgresOID.timestamptz || typeOID == PostgresOID.timestamp,
            let micros = WireBytes.read(Int64.self, from: bytes[...])
        else { throw mismatch(Date.self, typeOID) }
        return Date(timeIntervalSince1970: Double(micros) / 1_000_000 + WireBytes.postgresEpochOffset)
    }
}

extension UUID: PostgresDecodable {
    /// Decodes uuid.
    public static func postgresDecode(_ bytes: [UInt8], typeOID: UInt32) throws -> UUID {
        guard typeOID == PostgresOID.uuid, bytes.count == 16 else { throw mismatch(UUID.self, typeOID) }
        let b = bytes
        return UUID(
            uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15])
        )
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    /// Decodes the wrapped type.
    public static func postgresDecode(_ bytes: [UInt8], typeOID: UInt32) throws -> Wrapped? {
        try Wrapped.postgresDecode(bytes, typeOID: typeOID)
    }

    /// NULL is `nil`.
    public static func postgresDecodeNull() throws -> Wrapped? { nil }
}

extension Array: PostgresDecodable where Element: PostgresArrayElement {
    /// Decodes bytea (for `[UInt8]`) or a one-dimensional array.
    public static func postgresDecode(_ bytes: [UInt8], typeOID: UInt32) throws -> [Element] {
        try Element.postgresDecodeArray(bytes, typeOID: typeOID)
    }
}
