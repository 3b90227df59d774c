import Testing

@testable import Relay

@Suite struct JSONLogHandlerTests {
    @Test(
        "strings are escaped as JSON",
        arguments: [("a\"b", "\"a\\\"b\""), ("line\nbreak", "\"line\\nbreak\""), ("\u{01}", "\"\\u0001\"")])
    func quoting(_ input: String, _ expected: String) {
        #expect(JSONLogHandler.quoted(input) == expected)
    }
}
