import Testing

@testable import Postgres

@Suite struct PostgresErrorTests {
    @Test("error description names the code and context")
    func describesCode() {
        let error = PostgresError(.connectionFailed, message: "context")
        #expect(error.description.hasSuffix(": context"))
    }
}
