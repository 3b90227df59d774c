import Testing

@testable import CryptoCore

@Suite struct CryptoErrorTests {
    @Test("error description names the code and context")
    func describesCode() {
        let error = CryptoError(.allocationFailed, message: "context")
        #expect(error.description.hasSuffix(": context"))
    }
}
