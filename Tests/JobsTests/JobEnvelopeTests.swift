import Foundation
import Testing

@testable import Jobs

@Suite struct JobEnvelopeTests {
    @Test("a stored job round-trips, payload bytes and history included")
    func roundTrip() throws {
        var envelope = JobEnvelope(
            id: JobEnvelope.makeID(), name: "process-message", group: "tenant-9", attempt: 2,
            enqueuedAtMilliseconds: 1_700_000_000_123, uniqueKey: "mid.abc", payload: Array("{\"a\":\"x\\ny\"}\n".utf8)
        )
        envelope.history = [JobAttempt(attempt: 1, failedAt: Date(timeIntervalSince1970: 1_700_000_001), error: "e\t1")]
        let decoded = try JobEnvelope(decoding: envelope.encoded())
        #expect(decoded == envelope)
    }

    @Test(arguments: [(1, 1.0), (2, 2.0), (3, 4.0), (10, 30.0)])
    func backoffWithoutJitter(attempt: Int, seconds: Double) {
        let backoff = JobDefinition.Backoff(base: .seconds(1), maximum: .seconds(30), jitter: 0)
        #expect(JobWorker.backoffDelay(attempt: attempt, backoff: backoff) == seconds)
    }

    @Test("jitter stays within its fraction")
    func backoffJitter() {
        let backoff = JobDefinition.Backoff(base: .seconds(10), maximum: .seconds(100), jitter: 0.2)
        for _ in 0..<100 {
            let delay = JobWorker.backoffDelay(attempt: 1, backoff: backoff)
            #expect(delay >= 8 && delay <= 12)
        }
    }
}
