import Testing

@testable import HTTP

@Suite struct HTTPErrorTests {
    @Test("error description names the code and context")
    func describesCode() {
        let error = HTTPError(.transport, message: "context")
        #expect(error.description.hasSuffix(": context"))
    }
}
