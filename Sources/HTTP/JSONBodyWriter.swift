/// Writes compact JSON straight into a byte buffer: request bodies built on every message, without the cost of
/// `JSONEncoder` or `JSONSerialization`.
///
/// Byte-for-byte what `JSONEncoder` (or `JSONSerialization`) with `[.sortedKeys, .withoutEscapingSlashes]` writes
/// for the same values, provided the caller writes object keys in sorted order: the same string escapes (`\"`,
/// `\\`, `\b`, `\t`, `\n`, `\f`, `\r`, other control characters as lowercase `\u00xx`, everything else as
/// UTF-8, `/` unescaped) and the same numbers (a `Double` without a trailing `.0`). Unlike those encoders without
/// `.sortedKeys`, whose key order changes from process to process, the output is the same in every process.
///
/// ```swift
/// var json = JSONBodyWriter()
/// json.raw("{")
/// json.key("text")
/// json.string(text)
/// json.raw("}")
/// request.body = json.bytes
/// ```
public struct JSONBodyWriter: Sendable {
    /// Thrown for a number JSON cannot carry (NaN, infinity), as `JSONEncoder` refuses those too.
    public struct NonConformingNumber: Error, Sendable {
        /// Creates the error.
        public init() {}
    }

    /// The JSON written so far.
    public private(set) var bytes: [UInt8] = []

    /// Creates an empty writer.
    /// - Parameter capacity: bytes to reserve up front.
    public init(capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
    }

    /// Appends text as it is: punctuation such as `{`, `,` or `]`.
    /// - Parameter text: the text; it must be valid JSON in its place.
    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends bytes as they are (JSON written earlier).
    /// - Parameter json: the bytes; they must be valid JSON in their place.
    public mutating func raw(_ json: [UInt8]) {
        bytes.append(contentsOf: json)
    }

    /// Appends an object key and its colon, `"name":`; the name must need no escaping.
    /// - Parameter name: the key.
    public mutating func key(_ name: StaticString) {
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// Appends a JSON string literal, escaped as the type's documentation says.
    /// - Parameter text: the string.
    public mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { appendString($0) }
    }

    /// Appends an integer.
    /// - Parameter value: the integer.
    public mutating func integer(_ value: some BinaryInteger) {
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Appends a floating-point number as `JSONEncoder` does (`1.0` → `1`, `0.7` → `0.7`, `1e+20`).
    /// - Parameter value: the number.
    /// - Throws: ``NonConformingNumber`` for NaN and infinity.
    public mutating func double(_ value: Double) throws {
        guard value.isFinite else { throw NonConformingNumber() }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    /// Appends `true` or `false`.
    /// - Parameter value: the flag.
    public mutating func bool(_ value: Bool) {
        if value { raw("true") } else { raw("false") }
    }

    private mutating func appendString(_ utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
            runStart = index + 1
            bytes.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            default:
                bytes.append(UInt8(ascii: "u"))
                bytes.append(UInt8(ascii: "0"))
                bytes.append(UInt8(ascii: "0"))
                bytes.append(Self.hexDigit(byte >> 4))
                bytes.append(Self.hexDigit(byte & 0x0F))
            }
        }
        if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
