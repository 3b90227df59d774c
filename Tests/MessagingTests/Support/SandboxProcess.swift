import Foundation
import Glibc
import HTTP
import Logging

/// A `woodstock-sandbox` process on its own free port, started from the build directory next to the test
/// bundle (`swift build --build-tests` builds it), with helpers for its `/_sandbox` control API.
final class SandboxProcess: @unchecked Sendable {
    // Invariant: `process` is set in init and only read afterwards (stop may run once).
    let port: Int
    let http: HTTPClient
    private let process: Process

    /// `http://127.0.0.1:<port>`.
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// One Send API call the sandbox recorded.
    struct Sent: Decodable, Equatable {
        var seq: Int
        var message_id: String
        var account: String
        var recipient: String
        var text: String?
        var token_user_id: String?
        /// When the sandbox received the call, epoch milliseconds.
        var time_ms: Int64?
    }

    /// One chat-completions call the sandbox recorded.
    struct LLMCall: Decodable {
        var system: String?
        var last_user: String?
        var last_role: String?
        var tools: [String]
        var outcome: String
        var tool_called: String?
        /// When the sandbox received the call, epoch milliseconds.
        var time_ms: Int64?
    }

    /// Starts the sandbox and waits until `/_sandbox/health` answers (tries a few ports).
    init(http: HTTPClient) async throws {
        self.http = http
        let binary = try Self.binaryPath()
        var lastError: (any Error)?
        for _ in 0..<5 {
            let port = Self.freePort() ?? Int.random(in: 30_000...39_999)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["--port", "\(port)", "--log-level", "warning"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            do {
                try process.run()
                // Healthy and still running a moment later: the port is ours, not another test's sandbox.
                if try await Self.waitUntilHealthy(http: http, port: port, process: process),
                    try await Self.isStillRunning(process)
                {
                    self.port = port
                    self.process = process
                    return
                }
            } catch {
                lastError = error
            }
            if process.isRunning { process.terminate() }
        }
        throw lastError ?? CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "sandbox did not start"])
    }

    /// Stops the process.
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }

    /// Replaces the fault set (`POST /_sandbox/faults`).
    func setFaults(_ json: String) async throws {
        _ = try await call(.post, "/_sandbox/faults", body: json)
    }

    /// Forgets every recorded send (and restores the start-up faults): Meta never got what was sent before.
    func reset() async throws {
        _ = try await call(.post, "/_sandbox/reset", body: nil)
    }

    /// Registers a token so sends with it are attributed to `userID`.
    func register(token: String, userID: String) async throws {
        _ = try await call(.post, "/_sandbox/tokens", body: #"{"token":"\#(token)","user_id":"\#(userID)"}"#)
    }

    /// The Send API calls recorded so far.
    func sent() async throws -> [Sent] {
        try JSONDecoder().decode([Sent].self, from: Data(try await call(.get, "/_sandbox/sent", body: nil)))
    }

    /// The chat-completions calls recorded so far.
    func llmCalls() async throws -> [LLMCall] {
        try JSONDecoder().decode([LLMCall].self, from: Data(try await call(.get, "/_sandbox/llm-calls", body: nil)))
    }

    private func call(_ method: HTTPMethod, _ path: String, body: String?) async throws -> [UInt8] {
        let response = try await http.execute(
            HTTPRequest(
                method: method, url: baseURL + path, headers: ["Content-Type": "application/json"],
                body: body.map { Array($0.utf8) }, timeout: .seconds(10)))
        guard response.isSuccess else {
            throw CocoaError(
                .fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "sandbox \(path): \(response.status)"])
        }
        return response.body
    }

    private static func waitUntilHealthy(http: HTTPClient, port: Int, process: Process) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            guard process.isRunning else { return false }
            let request = HTTPRequest(
                method: .get, url: "http://127.0.0.1:\(port)/_sandbox/health", timeout: .seconds(2))
            if let response = try? await http.execute(request), response.isSuccess { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    private static func isStillRunning(_ process: Process) async throws -> Bool {
        try await Task.sleep(for: .milliseconds(200))
        return process.isRunning
    }

    /// A port the kernel just reported free (bind to port 0, read it, close).
    private static func freePort() -> Int? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else { return nil }
        let named = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { return nil }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The `woodstock-sandbox` binary: `SANDBOX_BINARY`, or next to the running test bundle.
    private static func binaryPath() throws -> String {
        if let path = ProcessInfo.processInfo.environment["SANDBOX_BINARY"] { return path }
        var directory = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("woodstock-sandbox").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        for bundle in Bundle.allBundles {
            let candidate = bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("woodstock-sandbox")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
        }
        throw CocoaError(
            .executableLoad,
            userInfo: [
                NSLocalizedDescriptionKey:
                    "woodstock-sandbox not found next to the tests; build with --build-tests or set SANDBOX_BINARY"
            ])
    }
}
