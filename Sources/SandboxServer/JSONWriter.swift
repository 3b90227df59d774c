import Foundation
import NIOCore

/// Writes ``JSONValue``s straight into a `ByteBuffer`, byte for byte as ``SandboxResponse/encoder`` would
/// (`JSONEncoder` with sorted keys and unescaped slashes), without its per-value container machinery.
///
/// Keys are sorted by their UTF-8 bytes; strings escape `"`, `\`, and control characters (`\b \t \n \f \r`,
/// else `\u00xx`); whole numbers below 9e15 are written as integers, other numbers by `JSONEncoder` itself.
enum JSONWriter {
    /// The encoded bytes of `value`.
    static func encode(_ value: JSONValue) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: 512)
        write(value, to: &buffer)
        return buffer
    }

    /// The encoded text of `value`.
    static func string(_ value: JSONValue) -> String {
        String(buffer: encode(value))
    }

    static func write(_ value: JSONValue, to buffer: inout ByteBuffer) {
        switch value {
        case .string(let text): write(string: text, to: &buffer)
        case .number(let number): write(number: number, to: &buffer)
        case .bool(let flag): buffer.writeStaticString(flag ? "true" : "false")
        case .null: buffer.writeStaticString("null")
        case .array(let elements):
            buffer.writeInteger(UInt8(ascii: "["))
            for (offset, element) in elements.enumerated() {
                if offset > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
                write(element, to: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "]"))
        case .object(let members):
            buffer.writeInteger(UInt8(ascii: "{"))
            var first = true
            for (key, member) in members.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
                if !first { buffer.writeInteger(UInt8(ascii: ",")) }
                first = false
                write(string: key, to: &buffer)
                buffer.writeInteger(UInt8(ascii: ":"))
                write(member, to: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "}"))
        }
    }

    static func write(number: Double, to buffer: inout ByteBuffer) {
        if number.rounded() == number, abs(number) < 9e15 {
            buffer.writeString(String(Int64(number)))
        } else if let data = try? SandboxResponse.encoder.encode(number) {
            buffer.writeBytes(data)
        } else {
            buffer.writeStaticString("null")
        }
    }

    static func write(string text: String, to buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "\""))
        let utf8 = text.utf8
        var start = utf8.startIndex
        var position = start
        while position != utf8.endIndex {
            let byte = utf8[position]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                buffer.writeBytes(utf8[start..<position])
                writeEscape(byte, to: &buffer)
                start = utf8.index(after: position)
            }
            position = utf8.index(after: position)
        }
        if start == utf8.startIndex {
            buffer.writeString(text)
        } else {
            buffer.writeBytes(utf8[start..<utf8.endIndex])
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func writeEscape(_ byte: UInt8, to buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): buffer.writeInteger(byte)
        case 0x08: buffer.writeInteger(UInt8(ascii: "b"))
        case 0x09: buffer.writeInteger(UInt8(ascii: "t"))
        case 0x0A: buffer.writeInteger(UInt8(ascii: "n"))
        case 0x0C: buffer.writeInteger(UInt8(ascii: "f"))
        case 0x0D: buffer.writeInteger(UInt8(ascii: "r"))
        default:
            buffer.writeStaticString("u00")
            buffer.writeInteger(hexDigits[Int(byte >> 4)])
            buffer.writeInteger(hexDigits[Int(byte & 0x0F)])
        }
    }
}
