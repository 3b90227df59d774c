import Testing

@testable import Redis

@Suite struct RedisErrorTests {
    @Test("error description names the code and context")
    func describesCode() {
        let error = RedisError(.connectionFailed, message: "context")
        #expect(error.description.hasSuffix(": context"))
    }
}
