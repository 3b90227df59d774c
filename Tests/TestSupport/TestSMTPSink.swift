import Foundation

/// A minimal SMTP server (Tests/HTTPTests/Fixtures/smtp_sink.py, no TLS) on a free loopback port that records
/// every message it accepts.
public final class TestSMTPSink: Sendable {
    /// One accepted message.
    public struct Message: Sendable, Decodable {
        /// The `MAIL FROM` address, with angle brackets.
        public let mail_from: String
        /// The `RCPT TO` addresses, with angle brackets.
        public let rcpt_tos: [String]
        /// The message text after `DATA`, dot-stuffing removed.
        public let data: String
    }

    private let process: FixtureProcess
    private let outputPath: String

    /// `smtp://127.0.0.1:<port>`.
    public var url: String { "smtp://127.0.0.1:\(process.port)" }

    private init(process: FixtureProcess, outputPath: String) {
        self.process = process
        self.outputPath = outputPath
    }

    /// The messages accepted so far, in order.
    /// - Returns: the messages.
    public func messages() throws -> [Message] {
        guard let data = FileManager.default.contents(atPath: outputPath) else { return [] }
        return try data.split(separator: UInt8(ascii: "\n")).map {
            try JSONDecoder().decode(Message.self, from: Data($0))
        }
    }

    /// Starts a sink, runs `body`, then stops it and deletes its file.
    /// - Parameter body: the test code.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws, or a ``TestServerError`` when python3 is missing.
    public static func withSink<R>(_ body: (TestSMTPSink) async throws -> R) async throws -> R {
        let path = NSTemporaryDirectory() + "smtp-sink-\(UUID().uuidString).jsonl"
        let sink = TestSMTPSink(
            process: try await FixtureProcess.start(script: "smtp_sink.py", arguments: [path]), outputPath: path)
        do {
            let result = try await body(sink)
            await sink.process.stopAsync()
            try? FileManager.default.removeItem(atPath: path)
            return result
        } catch {
            await sink.process.stopAsync()
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }
}
