import Foundation
import Testing

@testable import Jobs

@Suite struct CatalogTemplateTests {
    let definition = JobDefinition(
        name: "process-message", queue: "messages", uniqueKeyTemplate: "{account_id}:{mid}",
        groupTemplate: "acct-{account_id}"
    )

    @Test("templates are filled from the payload's top-level fields")
    func renders() throws {
        let payload = Array(#"{"mid":"m.1","account_id":1784,"sender_id":"9","nested":{"x":1}}"#.utf8)
        #expect(try definition.renderUniqueKey(payloadJSON: payload) == "1784:m.1")
        #expect(try definition.renderGroup(payloadJSON: payload) == "acct-1784")
        let keys = try definition.renderKeys(payloadJSON: payload)
        #expect(keys.uniqueKey == "1784:m.1" && keys.group == "acct-1784")
    }

    @Test("numbers and booleans render as JSON writes them", arguments: [("7", "7"), ("1.5", "1.5"), ("true", "true")])
    func scalars(_ json: String, _ expected: String) throws {
        let definition = JobDefinition(name: "j", queue: "q", uniqueKeyTemplate: "{v}")
        #expect(try definition.renderUniqueKey(payloadJSON: Array(#"{"v":\#(json)}"#.utf8)) == expected)
    }

    @Test(
        "payload fields are read the way JSON defines them",
        arguments: [
            (#"{"v":"a\"b\\c\/d\n"}"#, "a\"b\\c/d\n"),
            (#"{"v":"\u00e9\ud83d\ude00 ok"}"#, "é😀 ok"),
            (#" { "v" : 7 , "w": [1, {"x": "}]"}] } "#, "7"),
            (#"{"w":{"v":"nested"},"v":-12}"#, "-12"),
            (#"{"v":1.50}"#, "1.5"),
            (#"{"v":false}"#, "false"),
            (#"{"v":"x","v":"y"}"#, "y"),
        ]
    )
    func jsonForms(_ json: String, _ expected: String) throws {
        let definition = JobDefinition(name: "j", queue: "q", uniqueKeyTemplate: "{v}")
        #expect(try definition.renderUniqueKey(payloadJSON: Array(json.utf8)) == expected)
    }

    @Test(
        "malformed payloads are rejected",
        arguments: [
            #"{"v":1} x"#, #"{"v":}"#, #"{"v":"abc"#, #"{"v":1,}"#, #"{v:1}"#, #"{"v":tru}"#, #"{"v":"\x"}"#,
            #"{"v":"\ud83d"}"#, #"{"v":[1,2"#, "", "{", #"{"v":1e999}"#,
        ]
    )
    func malformed(_ json: String) {
        let definition = JobDefinition(name: "j", queue: "q", groupTemplate: "{v}")
        let error = #expect(throws: JobError.self) { try definition.renderGroup(payloadJSON: Array(json.utf8)) }
        #expect(error?.code == .payloadEncoding)
    }

    @Test("a job type without templates renders nil without reading the payload")
    func noTemplates() throws {
        let plain = JobDefinition(name: "noop", queue: "bench")
        #expect(try plain.renderUniqueKey(payloadJSON: Array("not json".utf8)) == nil)
        #expect(try plain.renderGroup(payloadJSON: []) == nil)
    }

    @Test(
        "a missing, null or nested field is a clear error",
        arguments: [#"{"account_id":1}"#, #"{"account_id":1,"mid":null}"#, #"{"account_id":1,"mid":{"a":1}}"#]
    )
    func missingField(_ json: String) {
        let error = #expect(throws: JobError.self) { try definition.renderUniqueKey(payloadJSON: Array(json.utf8)) }
        #expect(error?.code == .payloadEncoding)
        #expect(
            error?.message?.hasPrefix("process-message: unique_key {account_id}:{mid} needs the payload field 'mid'")
                == true)
    }

    @Test("a payload that is not a JSON object is a clear error", arguments: ["[1]", "nope", "\"s\""])
    func notAnObject(_ json: String) {
        let error = #expect(throws: JobError.self) { try definition.renderGroup(payloadJSON: Array(json.utf8)) }
        #expect(error?.message == "process-message: the payload must be a JSON object")
    }

    @Test(
        "durations in catalog files",
        arguments: [("30", 30.0), ("500ms", 0.5), ("5m", 300), ("1h30m", 5_400), ("2d", 172_800)])
    func durations(_ text: String, _ seconds: Double) {
        #expect(CatalogDuration.parse(text) == .milliseconds(Int64(seconds * 1_000)))
    }

    @Test("malformed durations are rejected", arguments: ["", "5x", "m5", "1.5h", "-3s"])
    func badDurations(_ text: String) {
        #expect(CatalogDuration.parse(text) == nil)
    }
}
