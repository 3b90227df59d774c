public import Foundation

/// Waits for a child process the reliable way.
///
/// swift-corelibs-foundation's `Process` sometimes never notices that a child exited when many children
/// are started from several threads at once: the child stays a zombie, `isRunning` stays true and
/// `waitUntilExit()` blocks forever (seen here: a topology script's bash stayed `<defunct>` and JobsTests
/// and RedisTests hung until the CI time limit). `waitid(…, WEXITED | WNOWAIT)` asks the kernel instead and
/// leaves the zombie for Foundation to reap, so the two never race for the exit status.
public enum ChildExit {
    /// Blocks the calling thread (never call it on the cooperative pool) until the child exits; returns its
    /// exit status, or 128 + signal number when a signal ended it.
    @discardableResult
    public static func wait(for process: Process) -> Int32 {
        var info = siginfo_t()
        while true {
            if waitid(P_PID, id_t(process.processIdentifier), &info, WEXITED | WNOWAIT) == 0 {
                let status = info._sifields._sigchld.si_status
                return info.si_code == CLD_EXITED ? status : 128 + status
            }
            if errno == EINTR { continue }
            // ECHILD: Foundation reaped it first, so its status is (about to be) recorded there.
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    /// True while the child has not exited (a zombie counts as exited), unlike `Process.isRunning`.
    public static func isRunning(_ process: Process) -> Bool {
        var info = siginfo_t()
        let result = waitid(P_PID, id_t(process.processIdentifier), &info, WEXITED | WNOWAIT | WNOHANG)
        if result != 0 { return process.isRunning }  // ECHILD: reaped by Foundation, which then knows
        return info._sifields._sigchld.si_pid == 0
    }

    /// Sends `signal` unless the child has exited, then waits for it; returns its exit status.
    @discardableResult
    public static func stop(_ process: Process, signal: Int32 = SIGTERM) -> Int32 {
        if isRunning(process) { kill(process.processIdentifier, signal) }
        return wait(for: process)
    }
}

extension ChildExit {
    /// Runs `executable` off Swift's cooperative pool and returns its standard output once it exits (standard
    /// error is dropped); SIGTERM after `timeout`, so a stuck browser or script cannot hang the suite.
    public static func output(
        of executable: String, _ arguments: [String], environment: [String: String]? = nil,
        timeout: Duration = .seconds(180)
    ) async throws -> Data {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = arguments
                if let environment { process.environment = environment }
                let pipe = Pipe()
                process.standardOutput = pipe
                process.standardError = FileHandle.nullDevice
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                let timer = DispatchWorkItem { if isRunning(process) { process.terminate() } }
                DispatchQueue.global().asyncAfter(
                    deadline: .now() + Double(timeout.components.seconds), execute: timer)
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                wait(for: process)
                timer.cancel()
                continuation.resume(returning: data)
            }
        }
    }
}
