import Foundation
import HTTP
import Testing

@Suite struct JSONBodyValueTests {
    @Test("objects, arrays, strings with escapes, integers, other numbers, literals")
    func parsesDocuments() throws {
        let text = #" {"a":[1,-0,2.5,1e3,null,true,false],"s":"q\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00é","o":{},"e":[]} "#
        let value = try #require(JSONBodyValue.parse(Array(text.utf8)))
        #expect(
            value
                == .object([
                    "a": .array([
                        .integer(1), .integer(0), .number("2.5"), .number("1e3"), .null, .bool(true), .bool(false),
                    ]),
                    "s": .string("q\"\\/\u{8}\u{C}\n\r\té😀é"), "o": .object([:]), "e": .array([]),
                ]))
    }

    @Test(
        "anything the fast path must not judge is nil, so callers fall back to JSONDecoder",
        arguments: [
            "", " ", "{", "[1,]", "{\"a\":1,}", "{\"a\":1,\"a\":2}", "01", "1.", "-", "1e", "tru", "\"a", "\"\u{1}\"",
            "\"\\x\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\u12\"", "{} {}", "{'a':1}", "nul",
            String(repeating: "[", count: 100) + String(repeating: "]", count: 100),
        ])
    func refuses(_ text: String) {
        #expect(JSONBodyValue.parse(Array(text.utf8)) == nil)
    }

    @Test("invalid UTF-8 in a string is refused")
    func invalidUTF8() {
        #expect(JSONBodyValue.parse([0x22, 0xC3, 0x28, 0x22]) == nil)
        #expect(JSONBodyValue.parse([0x22, 0x5C, 0x6E, 0xFF, 0x22]) == nil)
    }

    @Test("an integer too large for Int stays a number")
    func bigInteger() {
        #expect(
            JSONBodyValue.parse(Array("123456789012345678901234567890".utf8))
                == .number("123456789012345678901234567890"))
    }

    @Test("strings agree with JSONDecoder over every escape and ASCII character")
    func agreesWithDecoder() throws {
        let encoder = JSONEncoder()
        for code in 0..<128 {
            let sample = "x\(String(UnicodeScalar(UInt8(code))))y"
            let json = try encoder.encode(sample)
            #expect(JSONBodyValue.parse(Array(json)) == .string(sample))
        }
    }
}
