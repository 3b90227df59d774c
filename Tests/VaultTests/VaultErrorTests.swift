import Testing

@testable import Vault

@Suite struct VaultErrorTests {
    @Test("error description names the code and context")
    func describesCode() {
        let error = VaultError(.missingMasterKey, message: "context")
        #expect(error.description == "VaultError.missingMasterKey: context")
    }
}
