import Foundation

/// One query parameter as sent to the server: a type OID, a wire format and the bytes (or `nil` for NULL).
public struct PostgresBind: Sendable {
    /// The parameter's type OID (0 lets the server infer it).
    let typeOID: UInt32
    /// 0 for text format, 1 for binary format.
    let format: Int32
    /// The encoded value, or `nil` for SQL NULL.
    let bytes: [UInt8]?

    init(typeOID: UInt32, format: Int32, bytes: [UInt8]?) {
        self.typeOID = typeOID
        self.format = format
        self.bytes = bytes
    }

    /// A NULL of unspecified type.
    static let null = PostgresBind(typeOID: 0, format: 0, bytes: nil)
}

/// Type OIDs used by the encoder and decoder.
enum PostgresOID {
    static let bool: UInt32 = 16
    static let bytea: UInt32 = 17
    static let name: UInt32 = 19
    static let int8: UInt32 = 20
    static let int2: UInt32 = 21
    static let int4: UInt32 = 23
    static let text: UInt32 = 25
    static let oid: UInt32 = 26
    static let json: UInt32 = 114
    static let float4: UInt32 = 700
    static let float8: UInt32 = 701
    static let unknown: UInt32 = 705
    static let int4Array: UInt32 = 1007
    static let byteaArray: UInt32 = 1001
    static let textArray: UInt32 = 1009
    static let int8Array: UInt32 = 1016
    static let bpchar: UInt32 = 1042
    static let varchar: UInt32 = 1043
    static let timestamp: UInt32 = 1114
    static let timestamptz: UInt32 = 1184
    static let uuid: UInt32 = 2950
    static let uuidArray: UInt32 = 2951
    static let jsonb: UInt32 = 3802

    static let textLike: Set<UInt32> = [text, varchar, bpchar, name, unknown, json]
}

/// Big-endian integer helpers for the binary wire format.
enum WireBytes {
    static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    static func read<T: FixedWidthInteger>(_: T.Type, from bytes: ArraySlice<UInt8>) -> T? {
        guard bytes.count >= MemoryLayout<T>.size else { return nil }
        var value: T = 0
        for byte in bytes.prefix(MemoryLayout<T>.size) { value = (value << 8) | T(truncatingIfNeeded: byte) }
        return value
    }

    /// Microseconds between 1970-01-01 and 2000-01-01, PostgreSQL's epoch.
    static let postgresEpochOffset: Double = 946_684_800

    /// Encodes a one-dimensional array without NULLs in PostgreSQL's binary array format.
    static func array(elementOID: UInt32, elements: [[UInt8]]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20 + elements.reduce(0) { $0 + $1.count + 4 })
        append(Int32(1), to: &bytes)  // dimensions
        append(Int32(0), to: &bytes)  // has nulls
        append(elementOID, to: &bytes)
        append(Int32(elements.count), to: &bytes)
        append(Int32(1), to: &bytes)  // lower bound
        for element in elements {
            append(Int32(element.count), to: &bytes)
            bytes.append(contentsOf: element)
        }
        return bytes
    }

    /// Decodes a one-dimensional binary array into its elements (`nil` for a NULL element).
    static func decodeArray(_ bytes: [UInt8]) -> [[UInt8]?]? {
        var slice = bytes[...]
        guard let dimensions = read(Int32.self, from: slice) else { return nil }
        slice = slice.dropFirst(12)
        if dimensions == 0 { return [] }
        guard dimensions == 1, let count = read(Int32.self, from: slice), count >= 0 else { return nil }
        slice = slice.dropFirst(8)
        var elements: [[UInt8]?] = []
        elements.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let length = read(Int32.self, from: slice) else { return nil }
            slice = slice.dropFirst(4)
            if length < 0 {
                elements.append(nil)
                continue
            }
            guard slice.count >= Int(length) else { return nil }
            elements.append(Array(slice.prefix(Int(length))))
            slice = slice.dropFirst(Int(length))
        }
        return elements
    }
}
