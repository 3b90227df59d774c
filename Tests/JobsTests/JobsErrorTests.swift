import Testing

@testable import Jobs

@Suite struct JobsErrorTests {
    @Test("error description names the code and context")
    func describesCode() {
        let error = JobsError(., message: "context")
        #expect(error.description == "JobsError.: context")
    }
}
