import Foundation
import Synchronization
import TestSupport

/// Reads a Server-Sent Events response with a real client (`curl -N`), collecting what arrives, so a test
/// can wait for an event while the stream stays open.
///
/// `@unchecked Sendable`: `process` is set in `init` and only terminated afterwards; the output lives in a Mutex.
final class WebchatEventReader: @unchecked Sendable {
    private let process = Process()
    private let output = Mutex("")

    /// Starts `curl -sN` on `url` with the visitor token and an optional `Last-Event-ID`.
    init(url: String, token: String?, lastEventID: String? = nil, origin: String? = nil) throws {
        var arguments = ["-sN", "--max-time", "60", "-H", "Accept: text/event-stream"]
        if let token { arguments += ["-H", "X-Webchat-Token: \(token)"] }
        if let lastEventID { arguments += ["-H", "Last-Event-ID: \(lastEventID)"] }
        if let origin { arguments += ["-H", "Origin: \(origin)"] }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = arguments + ["-D", "-", url]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = Pipe()
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let chunk = handle.availableData
            guard !chunk.isEmpty else {
                handle.readabilityHandler = nil
                return
            }
            self?.output.withLock { $0 += String(decoding: chunk, as: UTF8.self) }
        }
        try process.run()
    }

    deinit { stop() }

    /// Everything received so far (response headers first).
    var text: String { output.withLock { $0 } }

    /// Whether curl has exited (the server ended the stream).
    var hasExited: Bool { !process.isRunning }

    /// The `data:` payloads received so far, decoded.
    var events: [[String: String]] {
        text.split(separator: "\n").compactMap { line -> [String: String]? in
            guard line.hasPrefix("data: ") else { return nil }
            let json = Data(line.dropFirst("data: ".count).utf8)
            guard let object = try? JSONSerialization.jsonObject(with: json) as? [String: Any] else { return nil }
            return object.compactMapValues { value in value as? String ?? (value as? NSNumber)?.stringValue }
        }
    }

    /// The `id:` lines received so far.
    var ids: [String] {
        text.split(separator: "\n").filter { $0.hasPrefix("id: ") }.map { String($0.dropFirst(4)) }
    }

    /// Stops curl.
    func stop() {
        if process.isRunning { process.terminate() }
    }
}
