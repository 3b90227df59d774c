import Foundation
import HTTP
import Testing

@Suite struct JSONBodyWriterTests {
    /// What `JSONEncoder` writes for a single value with the options the old request bodies used.
    private static func encoded(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private static func written(_ write: (inout JSONBodyWriter) throws -> Void) rethrows -> String {
        var json = JSONBodyWriter()
        try write(&json)
        return String(decoding: json.bytes, as: UTF8.self)
    }

    @Test("every ASCII character and some Unicode are escaped exactly as JSONEncoder escapes them")
    func stringEscapes() throws {
        var samples = (0..<128).map { String(UnicodeScalar(UInt8($0))) }
        samples += [
            "", "plain", "a/b\\c\"d", "é😀\u{2028}\u{2029}\u{FEFF}\u{85}", "line\nbreak\ttab\r\u{8}\u{C}",
            "https://example.com/a?b=c", String(repeating: "x\"", count: 300),
        ]
        for sample in samples {
            #expect(
                Self.written { $0.string(sample) } == (try Self.encoded(sample)),
                "\(sample.unicodeScalars.map(\.value))")
        }
    }

    @Test(
        "numbers are written as JSONEncoder writes them",
        arguments: [
            0.7, 1.0, 0.0, -0.0, 0.1 + 0.2, 1e20, 1e-7, 123_456_789.125, 2.5e15, 1e16, 100.0, -3.25,
            .leastNonzeroMagnitude,
        ]
    )
    func doubles(_ value: Double) throws {
        #expect(try Self.written { try $0.double(value) } == (try Self.encoded(value)))
    }

    @Test("NaN and infinity are refused, as JSONEncoder refuses them")
    func nonConforming() {
        for value in [Double.nan, .infinity, -.infinity] {
            #expect(throws: JSONBodyWriter.NonConformingNumber.self) { _ = try Self.written { try $0.double(value) } }
        }
    }

    @Test("keys, integers, booleans and raw bytes compose into one document")
    func composition() throws {
        let text = Self.written { json in
            json.raw("{")
            json.key("a")
            json.integer(-42)
            json.raw(",")
            json.key("b")
            json.bool(true)
            json.raw(",")
            json.key("c")
            json.raw(Array(#"[null]"#.utf8))
            json.raw("}")
        }
        #expect(text == #"{"a":-42,"b":true,"c":[null]}"#)
    }
}
