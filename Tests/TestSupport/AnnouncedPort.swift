import Foundation

/// Launching a helper process (Python fixture servers) that prints `PORT <n>` as its first line.
enum AnnouncedPort {
    /// Runs `process` with a stdout pipe and reads its first line; blocks, so call it off the cooperative pool.
    /// - Parameters:
    ///   - process: A configured, not yet running process (its `standardOutput` is replaced).
    ///   - name: What to call it in the error.
    /// - Returns: The announced port.
    /// - Throws: `TestServerError` (and the process is terminated) when the first line is not `PORT <n>`.
    static func launch(_ process: Process, name: String) throws -> Int {
        let stdout = Pipe()
        process.standardOutput = stdout
        try process.run()
        var buffer = Data()
        while !buffer.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
        }
        let line = String(decoding: buffer, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard line.hasPrefix("PORT "), let port = Int(line.dropFirst(5)) else {
            process.terminate()
            throw TestServerError(message: "\(name) did not start (needs python3): \(line)")
        }
        return port
    }
}
