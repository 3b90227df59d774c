import Foundation

/// A Python fixture script under Tests/HTTPTests/Fixtures, started on a free loopback port. The script prints
/// `PORT <n>` first and exits when its stdin closes.
///
/// `@unchecked Sendable`: `process` and `stdin` are set once in `init` and only used by `stop()`.
final class FixtureProcess: @unchecked Sendable {
    let port: Int
    private let process: Process
    private let stdin: Pipe

    /// Starts the script on a Dispatch thread: launching and reading its first line block, and must not hold one
    /// of Swift's few cooperative threads while other tests run.
    static func start(script name: String, arguments: [String] = []) async throws -> FixtureProcess {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try FixtureProcess(script: name, arguments: arguments) })
            }
        }
    }

    /// Stops the script without blocking a cooperative thread.
    func stopAsync() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                self.stop()
                continuation.resume()
            }
        }
    }

    private init(script name: String, arguments: [String] = []) throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("HTTPTests/Fixtures/\(name)")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path] + arguments
        stdin = Pipe()
        process.standardInput = stdin
        let port = try AnnouncedPort.launch(process, name: name)
        self.port = port
    }

    private func stop() {
        try? stdin.fileHandleForWriting.close()
        ChildExit.stop(process)
    }
}
