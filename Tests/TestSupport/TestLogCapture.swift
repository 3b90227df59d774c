public import Logging
import Synchronization

/// Collects every log line (level, message, metadata, source) of the loggers it makes, so a test can assert
/// that no secret was ever logged.
public final class TestLogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    /// Creates an empty capture.
    public init() {}

    /// A logger at `trace` level whose lines land here.
    /// - Parameter label: the logger label.
    /// - Returns: the logger.
    public func logger(_ label: String = "test.capture") -> Logger {
        Logger(label: label) { _ in Handler(sink: self) }
    }

    /// Every line so far, joined by newlines.
    public var text: String { lines.withLock { $0.joined(separator: "\n") } }

    /// How many lines were logged.
    public var count: Int { lines.withLock { $0.count } }

    fileprivate func append(_ line: String) { lines.withLock { $0.append(line) } }

    private struct Handler: LogHandler {
        let sink: TestLogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            sink.append("\(event.level) \(event.message) \(merged) \(event.source)")
        }
    }
}
