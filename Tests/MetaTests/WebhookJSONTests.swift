import Foundation
import HTTP
import Testing

@testable import Meta

/// How the webhook parser reads JSON: HTTP's fast parser, `JSONDecoder` for valid JSON the fast one declines.
@Suite struct WebhookJSONTests {
    static let valid: [String] = [
        #"{}"#, #"{"a":[]}"#, #" { "a" : [ 1 , -0.5e+3 , true , false , null ] } "#,
        #"{"s":"tab\tquote\" slash\/ backslash\\ unicode \u00e9 \ud83d\ude00"}"#,
        #"{"n":0,"m":-12,"f":1.25E-2}"#, "{\"emoji\":\"😀 é\"}",
    ]
    static let invalid: [String] = [
        "", "{", "}", #"{"a":}"#, #"{"a" 1}"#, #"{"a":01}"#, #"{"a":1.}"#, #"{"a":.5}"#,
        #"{"a":-}"#, #"{"a":1e}"#, #"{"a":tru}"#, #"{"a":"\x"}"#, #"{"a":"\u12"}"#, "{\"a\":\"line\nbreak\"}",
        #"{"a":1} x"#, #"{a:1}"#, #"{"a":1}{"#,
    ]

    @Test("valid JSON parses, escapes and surrogate pairs decoded as JSONSerialization decodes them")
    func acceptsValid() throws {
        for text in Self.valid {
            let parsed = try #require(JSONBodyValue.parseWebhook(Array(text.utf8)), "\(text)")
            let reference = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            #expect(parsed.members?.count == reference?.count, "\(text)")
            for key in ["s", "emoji"] {
                if let expected = reference?[key] as? String { #expect(parsed[key]?.lenientString == expected) }
            }
        }
    }

    @Test("malformed JSON is refused")
    func refusesInvalid() {
        for text in Self.invalid {
            #expect(JSONBodyValue.parseWebhook(Array(text.utf8)) == nil, "\(text)")
            #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8))) == nil, "reference accepts \(text)")
        }
        #expect(JSONBodyValue.parseWebhook([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D]) == nil)  // bad UTF-8
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(JSONBodyValue.parseWebhook(Array(deep.utf8)) == nil)
    }

    @Test("a duplicate key, which the fast parser declines, still parses (through JSONDecoder)")
    func duplicateKeys() throws {
        let text = #"{"object":"instagram","entry":[{"id":"1","id":"2","messaging":[]}]}"#
        #expect(JSONBodyValue.parse(Array(text.utf8)) == nil)
        let parsed = try #require(JSONBodyValue.parseWebhook(Array(text.utf8)))
        #expect(parsed["object"]?.lenientString == "instagram")
        #expect(["1", "2"].contains(parsed["entry"]?.elements?.first?["id"]?.lenientString ?? ""))
        #expect(try WebhookParser.parse(Array(text.utf8)).object == "instagram")
    }

    @Test("numbers read leniently: ids as text like JSONDecoder writes them, timestamps as integers")
    func lenientNumbers() throws {
        let json = try #require(
            JSONBodyValue.parseWebhook(
                Array(#"{"id":17841400000000001,"f":1.5,"t":"1732549999000","d":1.7e12}"#.utf8)))
        #expect(json["id"]?.lenientString == "17841400000000001")
        #expect(json["f"]?.lenientString == "1.5")
        #expect(json["t"]?.lenientInt == 1_732_549_999_000)
        #expect(json["d"]?.lenientInt == 1_700_000_000_000)
        #expect(json["f"]?.lenientInt == 1)
    }
}
