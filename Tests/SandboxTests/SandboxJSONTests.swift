import Foundation
import NIOCore
import Testing

@testable import SandboxServer

/// The sandbox's own JSON reader and writer against `JSONDecoder` / `JSONEncoder`, which they replace on the hot
/// routes: same values accepted, same documents rejected, same bytes written.
@Suite struct SandboxJSONTests {
    /// What the sandbox used before: `JSONDecoder` into the generic enum.
    static func reference(_ text: String) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    static let validDocuments = [
        #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"temperature":0.2,"n":1}"#,
        #"  [1, -2, 3.5, 0, -0, 1e3, 1E-2, 2.5e+2, 123456789012345678901234567890, true, false, null]  "#,
        #"{"s":"a\"b\\c\/d\b\f\n\r\t\u00e9\u00E9\u20ac\ud83d\ude00 é 😀","e":"","u":"\u0000"}"#,
        #"{"a":1,"a":2,"b":{"a":[],"b":{}}}"#,
        #"[1,2,]"#, #"{"a":1,}"#, "\u{FEFF}{\"bom\":true}", #""top-level string""#, "42", "null",
        #"{"content":[{"type":"text","text":"one"},{"type":"image_url","image_url":{"url":"https://x/y.jpg"}}]}"#,
        "{\"del\":\"\u{7F}\",\"nbsp\":\"\u{A0}\u{2028}\"}",
        String(repeating: "[", count: 100) + String(repeating: "]", count: 100),
    ]

    static let invalidDocuments = [
        "", "   ", "{", "[1 2]", "[1]x", "{\"a\" 1}", "{a:1}", "[01]", "[-01]", "[.5]", "[1.]", "[1e]", "[-]",
        "[1e400]", "[tru]", "[nul]", "[,]", "[1,,2]", "{\"a\":1,,}", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800x\"",
        "\"\\x\"", "\"\\u12\"", "\"a\tb\"", "\"unterminated", "{\"a\":}", "[1]\u{0}", "{,}",
        String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
    ]

    @Test("accepts what JSONDecoder accepts, with the same values")
    func parsesLikeJSONDecoder() throws {
        for text in Self.validDocuments {
            let expected = try #require(Self.reference(text), "reference rejected \(text)")
            #expect(JSONValue.parse(Array(text.utf8)) == expected, "\(text)")
        }
    }

    @Test("rejects what JSONDecoder rejects")
    func rejectsLikeJSONDecoder() {
        for text in Self.invalidDocuments {
            #expect(Self.reference(text) == nil, "reference accepted \(text.debugDescription)")
            #expect(JSONValue.parse(Array(text.utf8)) == nil, "\(text.debugDescription)")
        }
        #expect(JSONValue.parse([0x22, 0xFF, 0x22]) == nil)
        #expect(JSONValue.parse([0x5B, 0x22, 0xC3, 0x22, 0x2C, 0x31, 0x5D], filter: .members([:])) == nil)
    }

    @Test("a filter builds only the named members and still validates the rest")
    func filter() throws {
        let text =
            #"{"model":"m","tools":[{"type":"function","function":{"name":"a","parameters":{"x":[1,{"y":"\u00e9"}]}}}],"#
            + #""messages":[{"role":"user","content":"hi","extra":{"deep":[true]}},"odd"],"unknown":{"k":[1,2,3]}}"#
        let value = try #require(JSONValue.parse(Array(text.utf8), filter: SandboxServer.requestFilter))
        let expected: JSONValue = .object([
            "model": .string("m"),
            "tools": .array([.object(["function": .object(["name": .string("a")])])]),
            "messages": .array([.object(["role": .string("user"), "content": .string("hi")]), .string("odd")]),
        ])
        #expect(value == expected)
        let broken = text.replacingOccurrences(of: "[1,2,3]", with: "[1,2 3]")
        #expect(JSONValue.parse(Array(broken.utf8), filter: SandboxServer.requestFilter) == nil)
    }

    @Test("writes the same bytes as JSONEncoder with sorted keys and unescaped slashes")
    func writesLikeJSONEncoder() throws {
        var control = ""
        for code in 0..<0x80 { control.unicodeScalars.append(Unicode.Scalar(UInt8(code))) }
        let values: [JSONValue] = [
            .object([
                "user_id": .string("1"), "username": .string("u"), "a_b": .null, "aB": .bool(true), "A": .bool(false),
                "a10": .number(10), "a2": .number(-2), "_x": .array([]), "Z": .object([:]),
            ]),
            .array([.string(control), .string("é😀/\u{2028}\u{7F}"), .string(""), .string("\"q\" \\ \n")]),
            .array([.number(0.5), .number(1e-7), .number(1e21), .number(9e15), .number(-0.0), .number(1_700_000_000)]),
            .object([
                "choices": .array([
                    .object([
                        "message": .object(["role": .string("assistant"), "content": .null]),
                        "finish_reason": .string("tool_calls"), "index": .number(0), "logprobs": .null,
                    ])
                ])
            ]),
        ]
        for value in values {
            let expected = String(decoding: try SandboxResponse.encoder.encode(value), as: UTF8.self)
            #expect(JSONWriter.string(value) == expected)
        }
        #expect(SandboxServer.jsonString(["query": "a \"b\" / c"]) == #"{"query":"a \"b\" / c"}"#)
    }

    @Test("recordings are listed with the same bytes as JSONEncoder, nil members left out")
    func recordsLikeJSONEncoder() throws {
        let sent = [
            SentRecord(
                seq: 1, messageID: "m.1", account: "me", apiVersion: nil, recipient: "42", text: "hi \"x\"\n",
                attachmentType: nil, attachmentURL: nil, quickReplies: nil, messagingType: nil, tag: nil,
                senderAction: nil, tokenID: "tok_1", tokenUserID: nil, timeMs: 1_764_000_000_123),
            SentRecord(
                seq: 2, messageID: "", account: "1784", apiVersion: "v23.0", recipient: "43", text: nil,
                attachmentType: "image", attachmentURL: "https://x.invalid/a.jpg", quickReplies: ["Yes", "No"],
                messagingType: "RESPONSE", tag: "HUMAN_AGENT", senderAction: "typing_on", tokenID: "tok_2",
                tokenUserID: "1784", timeMs: 1_764_000_000_124),
        ]
        let calls = [
            LLMCallRecord(
                seq: 7, model: "m", messageCount: 3, system: "persona\twith tab", lastUser: "é😀", lastRole: "user",
                tools: ["a", "b"], outcome: "tool_calls", toolCalled: "a", reply: nil, keyID: "tok_3", timeMs: 5),
            LLMCallRecord(
                seq: 8, model: nil, messageCount: 0, system: nil, lastUser: nil, lastRole: nil, tools: [],
                outcome: "error:400", toolCalled: nil, reply: nil, keyID: "tok_4", timeMs: 6),
        ]
        let sentJSON = String(decoding: try SandboxResponse.encoder.encode(sent), as: UTF8.self)
        #expect(JSONWriter.string(.array(sent.map(\.jsonValue))) == sentJSON)
        let callsJSON = String(decoding: try SandboxResponse.encoder.encode(calls), as: UTF8.self)
        #expect(JSONWriter.string(.array(calls.map(\.jsonValue))) == callsJSON)
    }

    @Test("fields are trimmed of tabs and Unicode spaces like trimmingCharacters(in: .whitespaces)")
    func trimsFields() {
        for text in ["name", " name ", "\tname\u{A0}", "\u{3000}user name\u{2009}", "   ", "", "\nname\n", "na me"] {
            let expected = text.trimmingCharacters(in: .whitespaces)
            #expect(RequestInput.trimmingSpaces(Substring(text)) == expected, "\(text.debugDescription)")
        }
    }
}
