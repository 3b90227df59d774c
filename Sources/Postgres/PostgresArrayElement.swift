public import Foundation

func decodeElements<T>(
    _ bytes: [UInt8], typeOID: UInt32, expected: UInt32, element: UInt32, _ decode: ([UInt8]) throws -> T
) throws -> [T] {
    guard typeOID == expected, let cells = WireBytes.decodeArray(bytes) else { throw mismatch([T].self, typeOID) }
    return try cells.map { cell in
        guard let cell else { throw PostgresError(.decodingFailed, message: "unexpected NULL array element") }
        return try decode(cell)
    }
}

extension UInt8: PostgresArrayElement {
    /// `[UInt8]` is bytea, sent in binary.
    public static func postgresArrayBind(_ elements: [UInt8]) -> PostgresBind {
        PostgresBind(typeOID: PostgresOID.bytea, format: 1, bytes: elements)
    }

    /// Decodes bytea.
    public static func postgresDecodeArray(_ bytes: [UInt8], typeOID: UInt32) throws -> [UInt8] {
        guard typeOID == PostgresOID.bytea else { throw mismatch([UInt8].self, typeOID) }
        return bytes
    }
}

extension Array: PostgresArrayElement where Element == UInt8 {
    /// `[[UInt8]]` is bytea[].
    public static func postgresArrayBind(_ elements: [[UInt8]]) -> PostgresBind {
        PostgresBind(
            typeOID: PostgresOID.byteaArray, format: 1,
            bytes: WireBytes.array(elementOID: PostgresOID.bytea, elements: elements))
    }

    /// Decodes bytea[].
    public static func postgresDecodeArray(_ bytes: [UInt8], typeOID: UInt32) throws -> [[UInt8]] {
        try decodeElements(bytes, typeOID: typeOID, expected: PostgresOID.byteaArray, element: PostgresOID.bytea) { $0 }
    }
}

extension String: PostgresArrayElement {
    /// `[String]` is text[].
    public static func postgresArrayBind(_ elements: [String]) -> PostgresBind {
        PostgresBind(
            typeOID: PostgresOID.textArray, format: 1,
            bytes: WireBytes.array(elementOID: PostgresOID.text, elements: elements.map { Array($0.utf8) }))
    }

    /// Decodes text[] (and varchar[]).
    public static func postgresDecodeArray(_ bytes: [UInt8], typeOID: UInt32) throws -> [String] {
        let oid = typeOID == 1015 ? PostgresOID.textArray : typeOID
        return try decodeElements(bytes, typeOID: oid, expected: PostgresOID.textArray, element: PostgresOID.text) {
            String(decoding: $0, as: UTF8.self)
        }
    }
}

extension Int64: PostgresArrayElement {
    /// `[Int64]` is int8[].
    public static func postgresArrayBind(_ elements: [Int64]) -> PostgresBind {
        let cells = elements.map { value -> [UInt8] in
            var bytes: [UInt8] = []
            WireBytes.append(value, to: &bytes)
            return bytes
        }
        return PostgresBind(
            typeOID: PostgresOID.int8Array, format: 1,
            bytes: WireBytes.array(elementOID: PostgresOID.int8, elements: cells))
    }

    /// Decodes int8[].
    public static func postgresDecodeArray(_ bytes: [UInt8], typeOID: UInt32) throws -> [Int64] {
        try decodeElements(bytes, typeOID: typeOID, expected: PostgresOID.int8Array, element: PostgresOID.int8) {
            try Int64.postgresDecode($0, typeOID: PostgresOID.int8)
        }
    }
}

extension UUID: PostgresArrayElement {
    /// `[UUID]` is uuid[].
    public static func postgresArrayBind(_ elements: [UUID]) -> PostgresBind {
        let cells = elements.map { $0.postgresBind.bytes ?? [] }
        return PostgresBind(
            typeOID: PostgresOID.uuidArray, format: 1,
            bytes: WireBytes.array(elementOID: PostgresOID.uuid, elements: cells))
    }

    /// Decodes uuid[].
    public static func postgresDecodeArray(_ bytes: [UInt8], typeOID: UInt32) throws -> [UUID] {
        try decodeElements(bytes, typeOID: typeOID, expected: PostgresOID.uuidArray, element: PostgresOID.uuid) {
            try UUID.postgresDecode($0, typeOID: PostgresOID.uuid)
        }
    }
}
