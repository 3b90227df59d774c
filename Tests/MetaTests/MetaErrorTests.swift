import Testing

@testable import Meta

@Suite struct MetaErrorTests {
    @Test("error description names the code and context")
    func describesCode() {
        let error = MetaError(.invalidSignature, message: "context")
        #expect(error.description == "MetaError.invalidSignature: context")
    }
}
