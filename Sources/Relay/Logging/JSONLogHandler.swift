public import Logging

import struct Foundation.Data
import struct Foundation.Date
import class Foundation.FileHandle
import class Foundation.ISO8601DateFormatter

/// A swift-log handler that writes one JSON object per line to standard error, for log shippers.
///
/// Each line carries `ts`, `level`, `label`, `msg`, `source` and every metadata key. It is safe to use
/// from any thread: each line is written with one `write(2)` call.
public struct JSONLogHandler: LogHandler {
    /// Metadata attached to every line of this handler.
    public var metadata: Logger.Metadata = [:]
    /// Lines below this level are dropped.
    public var logLevel: Logger.Level
    private let label: String

    /// Creates a handler for the given logger label and minimum level.
    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    /// Reads or writes one metadata value.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one JSON line.
    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var line = "{\"ts\":\"\(Self.timestamp())\",\"level\":\"\(event.level)\",\"label\":"
        line += Self.quoted(label) + ",\"msg\":" + Self.quoted("\(event.message)")
        line += ",\"source\":" + Self.quoted(event.source)
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            line += "," + Self.quoted(key) + ":" + Self.quoted("\(value)")
        }
        line += "}\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    private static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }

    /// Quotes a string as a JSON string literal.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
