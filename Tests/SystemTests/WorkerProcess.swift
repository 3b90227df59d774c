import Foundation
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// One `woodstock work` child process, killable with SIGKILL.
final class WorkerProcess: @unchecked Sendable {
    private let process: Process

    init(arguments: [String], environment: [String: String]) throws {
        process = Process()
        process.executableURL = try Self.executable()
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var isRunning: Bool { ChildExit.isRunning(process) }

    /// `kill -9`: no graceful shutdown, no lease release; the reaper must recover its jobs.
    func killHard() {
        ChildExit.stop(process, signal: SIGKILL)
    }

    /// SIGTERM, then waits for exit; returns the exit status.
    func terminate() -> Int32 {
        ChildExit.stop(process)
    }

    /// The `woodstock` binary built next to the test bundle by `swift build --build-tests`.
    static func executable() throws -> URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments.first ?? "")
        var directory = bundle.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("woodstock")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw WorkerProcessError(message: "woodstock not found next to \(bundle.path): run `swift build --build-tests`")
    }
}

/// The `woodstock` binary could not be found or started.
struct WorkerProcessError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
