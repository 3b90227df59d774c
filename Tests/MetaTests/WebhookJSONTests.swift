import Foundation
import Testing

@testable import Meta

/// The webhook parser's own JSON reader: it must accept exactly what a strict JSON parser accepts.
@Suite struct WebhookJSONTests {
    static let valid: [String] = [
        #"{}"#, #"{"a":[]}"#, #" { "a" : [ 1 , -0.5e+3 , true , false , null ] } "#,
        #"{"s":"tab\tquote\" slash\/ backslash\\ unicode \u00e9 \ud83d\ude00"}"#,
        #"{"n":0,"m":-12,"f":1.25E-2}"#, "{\"emoji\":\"😀 é\"}",
    ]
    static let invalid: [String] = [
        "", "{", "}", #"{"a":}"#, #"{"a" 1}"#, #"{"a":1,}"#, #"[1,]"#, #"{"a":01}"#, #"{"a":1.}"#, #"{"a":.5}"#,
        #"{"a":-}"#, #"{"a":1e}"#, #"{"a":tru}"#, #"{"a":"\x"}"#, #"{"a":"\u12"}"#, #"{"a":"\ud83d"}"#,
        #"{"a":"\ude00"}"#, "{\"a\":\"line\nbreak\"}", #"{"a":1} x"#, #"{a:1}"#, #"{"a":1}{"#,
    ]

    @Test("valid JSON parses, with escapes and surrogate pairs decoded as JSONSerialization decodes them")
    func acceptsValid() throws {
        for text in Self.valid {
            let parsed = try #require(WebhookJSONReader.parse(Array(text.utf8)), "\(text)")
            let reference = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            #expect(parsed.members?.count == reference?.count, "\(text)")
            if let expected = reference?["s"] as? String { #expect(parsed["s"].flatMap(\.lenientString) == expected) }
            if let expected = reference?["emoji"] as? String {
                #expect(parsed["emoji"].flatMap(\.lenientString) == expected)
            }
        }
    }

    @Test("malformed JSON is refused, as JSONSerialization refuses it (and trailing commas too)")
    func refusesInvalid() {
        for text in Self.invalid {
            #expect(WebhookJSONReader.parse(Array(text.utf8)) == nil, "\(text)")
            // Foundation's parser tolerates a trailing comma; RFC 8259 (and this reader) does not.
            if !text.hasSuffix(",}") && !text.hasSuffix(",]") {
                #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8))) == nil, "reference accepts \(text)")
            }
        }
        #expect(WebhookJSONReader.parse([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D]) == nil)  // bad UTF-8
    }

    @Test("nesting deeper than the limit is refused instead of exhausting the stack")
    func depthLimit() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(WebhookJSONReader.parse(Array(deep.utf8)) == nil)
        let shallow = "{\"a\":" + String(repeating: "[", count: 10) + String(repeating: "]", count: 10) + "}"
        #expect(WebhookJSONReader.parse(Array(shallow.utf8)) != nil)
    }

    @Test("numbers read leniently: ids as text like JSONDecoder writes them, timestamps as integers")
    func lenientNumbers() throws {
        let json = try #require(
            WebhookJSONReader.parse(Array(#"{"id":17841400000000001,"f":1.5,"t":"1732549999000","d":1.7e12}"#.utf8)))
        #expect(json["id"]?.lenientString == "17841400000000001")
        #expect(json["f"]?.lenientString == "1.5")
        #expect(json["t"]?.lenientInt == 1_732_549_999_000)
        #expect(json["d"]?.lenientInt == 1_700_000_000_000)
        #expect(json["f"]?.lenientInt == 1)
    }
}
