import Testing

@testable import Store

@Suite struct StoreErrorTests {
    @Test("error description names the code and context")
    func describesCode() {
        let error = StoreError(.notFound, message: "context")
        #expect(error.description == "StoreError.notFound: context")
    }
}
