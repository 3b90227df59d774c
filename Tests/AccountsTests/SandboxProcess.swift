import Foundation
import HTTP
import Logging
import TestSupport

/// The `woodstock-sandbox` binary (built next to the test bundle) on a free loopback port.
///
/// `@unchecked Sendable`: `process` is set once in `init` and only used to stop the server.
final class SandboxProcess: @unchecked Sendable {
    let port: Int
    private let process: Process
    let http: HTTPClient

    var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(port: Int, process: Process, http: HTTPClient) {
        self.port = port
        self.process = process
        self.http = http
    }

    /// Where the sandbox binary is: `SANDBOX_BIN`, or beside the test bundle.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["SANDBOX_BIN"] { return URL(fileURLWithPath: path) }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("woodstock-sandbox")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("woodstock-sandbox")
    }

    /// Starts the sandbox on a random free port and waits until `/_sandbox/health` answers.
    static func start(http: HTTPClient) async throws -> SandboxProcess {
        for _ in 0..<5 {
            let port = Int.random(in: 30_000...39_999)
            let process = Process()
            process.executableURL = binary
            process.arguments = ["--port", "\(port)", "--log-level", "error"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let sandbox = SandboxProcess(port: port, process: process, http: http)
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline && ChildExit.isRunning(process) {
                if let response = try? await http.execute(HTTPRequest(url: sandbox.baseURL + "/_sandbox/health")),
                    response.status == 200
                {
                    return sandbox
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            sandbox.stop()
        }
        throw HTTPError(.transport, message: "woodstock-sandbox did not start (binary: \(binary.path))")
    }

    func stop() {
        ChildExit.stop(process)
    }

    /// POSTs JSON to a control route, e.g. `/_sandbox/oauth`.
    @discardableResult
    func control(_ path: String, _ json: String) async throws -> HTTPResponse {
        let response = try await http.execute(
            HTTPRequest(
                method: .post, url: baseURL + path, headers: ["Content-Type": "application/json"],
                body: Array(json.utf8)))
        guard response.isSuccess else {
            throw HTTPError(.transport, message: "sandbox \(path): \(response.status) \(response.bodyText)")
        }
        return response
    }

    /// Follows the authorize URL like a browser and returns the callback's query parameters.
    func authorize(_ url: String) async throws -> [String: String] {
        let response = try await http.execute(HTTPRequest(url: url))
        guard response.status == 302, let location = response.headers["Location"],
            let components = URLComponents(string: location.hasSuffix("#_") ? String(location.dropLast(2)) : location)
        else { throw HTTPError(.transport, message: "authorize: expected a redirect, got \(response.status)") }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] { query[item.name] = item.value ?? "" }
        return query
    }
}
