import Foundation
import Logging
import Synchronization
import Testing

@testable import Jobs

/// A payload whose own reader marks what it read, so the test sees which path decoded it.
private struct Greeting: JobPayloadDecoding, Sendable {
    var text: String
    var viaReader = false

    private enum CodingKeys: String, CodingKey { case text }

    static func decodeJobPayload(from bytes: [UInt8]) -> Greeting? {
        let body = String(decoding: bytes, as: UTF8.self)
        guard body.hasPrefix(#"{"text":"fast "#) else { return nil }
        return Greeting(text: String(body.dropFirst(9).dropLast(2)), viaReader: true)
    }
}

@Suite struct JobPayloadDecodingTests {
    private func run(_ body: String) async throws -> Greeting? {
        let seen = Mutex<Greeting?>(nil)
        var registry = JobRegistry()
        registry.register("greet", payload: Greeting.self) { greeting, _ in seen.withLock { $0 = greeting } }
        let handler = try #require(registry.handler(named: "greet"))
        let context = JobContext(
            jobID: "1", name: "greet", queue: "q", group: nil, attempt: 1, enqueuedAt: Date(),
            logger: Logger(label: "test"))
        try await handler(Array(body.utf8), context)
        return seen.withLock { $0 }
    }

    @Test("a conforming payload is read by its own reader; what it declines goes through JSONDecoder")
    func readerThenDecoder() async throws {
        let fast = try #require(try await run(#"{"text":"fast hello"}"#))
        #expect(fast.viaReader && fast.text == "fast hello")
        let slow = try #require(try await run(#"{"text":"slow hello"}"#))
        #expect(!slow.viaReader && slow.text == "slow hello")
    }

    @Test("a payload neither path reads is a payloadEncoding error")
    func bothDecline() async throws {
        await #expect {
            _ = try await run(#"{"txt":1}"#)
        } throws: { error in
            (error as? JobError)?.code == .payloadEncoding
        }
    }
}

@Suite struct JobPayloadReaderTests {
    private struct Plain: Decodable, Sendable { var text: String }

    @Test("a reader given at registration runs first; what it declines goes through JSONDecoder")
    func readerClosure() async throws {
        let seen = Mutex<[String]>([])
        var registry = JobRegistry()
        registry.register(
            "plain", payload: Plain.self,
            reader: { bytes in bytes.first == UInt8(ascii: "!") ? Plain(text: "read") : nil }
        ) { plain, _ in seen.withLock { $0.append(plain.text) } }
        let handler = try #require(registry.handler(named: "plain"))
        let context = JobContext(
            jobID: "1", name: "plain", queue: "q", group: nil, attempt: 1, enqueuedAt: Date(),
            logger: Logger(label: "test"))
        try await handler(Array("!anything".utf8), context)
        try await handler(Array(#"{"text":"decoded"}"#.utf8), context)
        await #expect {
            try await handler(Array("not json".utf8), context)
        } throws: { error in
            (error as? JobError)?.code == .payloadEncoding
        }
        #expect(seen.withLock { $0 } == ["read", "decoded"])
    }
}
