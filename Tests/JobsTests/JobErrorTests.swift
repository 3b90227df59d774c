import Testing

@testable import Jobs

@Suite struct JobErrorTests {
    @Test("error description names the code and context")
    func describesCode() {
        let error = JobError(.unknownJob, message: "context")
        #expect(error.description == "JobError.unknownJob: context")
    }
}
