import Assistant
import CustomTools
import Testing

@Suite struct CustomToolRulesTests {
    static let schema = #"{"type":"object","properties":{"order":{"type":"string"}},"required":["order"]}"#

    @Test("a valid definition passes and its schema is returned")
    func valid() throws {
        let schema = try CustomToolRules.validate(
            name: "lookup_order", description: "Looks up an order", parametersJSON: Self.schema,
            url: "https://tools.example.com/order", timeout: .seconds(3), settings: CustomToolSettings())
        #expect(schema["type"]?.stringValue == "object")
    }

    @Test(
        "names: invalid or shadowing a built-in",
        arguments: [
            "", "has space", "ünïcode", String(repeating: "a", count: 65), "search_products",
            "HANDOVER_TO_HUMAN", "woodstock_admin", "a.b",
        ])
    func badNames(_ name: String) {
        #expect(CustomToolRules.problem(withName: name) != nil)
    }

    @Test("a name used by a built-in passed at run time is refused too")
    func dynamicBuiltIns() {
        #expect(CustomToolRules.problem(withName: "open_ticket") == nil)
        #expect(CustomToolRules.problem(withName: "open_ticket", builtInNames: ["open_ticket"]) != nil)
    }

    @Test(
        "schemas: not JSON, not an object schema, too large",
        arguments: [
            "not json", "[1,2]", #"{"type":"string"}"#, #"{"properties":{}}"#,
            #"{"type":"object","description":""# + String(repeating: "x", count: 9000) + #""}"#,
        ])
    func badSchemas(_ text: String) {
        #expect(throws: CustomToolsError.self) { try CustomToolRules.parameters(text, settings: CustomToolSettings()) }
    }

    @Test("description, URL and timeout limits")
    func limits() {
        let settings = CustomToolSettings()
        func validate(
            description: String = "d", url: String = "https://t.example.com/", timeout: Duration = .seconds(1)
        )
            throws
        {
            try CustomToolRules.validate(
                name: "t", description: description, parametersJSON: Self.schema, url: url, timeout: timeout,
                settings: settings)
        }
        #expect(throws: CustomToolsError.self) { try validate(description: "  ") }
        #expect(throws: CustomToolsError.self) { try validate(description: String(repeating: "d", count: 1025)) }
        #expect(throws: CustomToolsError.self) { try validate(url: "http://t.example.com/") }
        #expect(throws: CustomToolsError.self) { try validate(url: "https://192.168.0.1/") }
        #expect(throws: CustomToolsError.self) { try validate(url: "not a url") }
        #expect(throws: CustomToolsError.self) { try validate(timeout: .milliseconds(50)) }
        #expect(throws: CustomToolsError.self) { try validate(timeout: .seconds(11)) }
    }
}
