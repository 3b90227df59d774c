import Foundation

/// The `woodstock-sandbox` executable (built next to the test bundle by `swift build --build-tests`) running on a
/// free loopback port, for end-to-end tests of the Graph API and chat completions clients.
///
/// Each test gets its own sandbox process, so recorded sends and injected faults never mix between tests.
/// `@unchecked Sendable`: `process` is set once in `init` and only used to stop it.
public final class TestSandbox: @unchecked Sendable {
    /// `http://127.0.0.1:<port>`: use it for every Graph host and as the LLM base URL.
    public let baseURL: String
    private let process: Process

    private init(arguments: [String]) throws {
        let executable = try Self.executable()
        process = Process()
        process.executableURL = executable
        process.arguments = ["--port", "0", "--log-level", "info"] + arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = stdout
        process.standardInput = Pipe()
        try process.run()
        // Hummingbird logs "Server started and listening on 127.0.0.1:<port>".
        var buffer = Data()
        var port: Int?
        while port == nil {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            let text = String(decoding: buffer, as: UTF8.self)
            if let range = text.range(of: "listening on ") {
                let rest = text[range.upperBound...]
                let address = rest.prefix { !$0.isWhitespace && $0 != "\"" }
                if let last = address.split(separator: ":").last, let value = Int(last), rest.contains("\n") {
                    port = value
                }
            }
        }
        guard let port else {
            process.terminate()
            throw TestServerError(
                message: "woodstock-sandbox did not start: \(String(decoding: buffer, as: UTF8.self))")
        }
        baseURL = "http://127.0.0.1:\(port)"
        // Keep draining its output so the sandbox never blocks on a full pipe.
        stdout.fileHandleForReading.readabilityHandler = { handle in _ = handle.availableData }
    }

    private static func executable() throws -> URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments.first ?? "")
        var directory = bundle.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("woodstock-sandbox")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw TestServerError(
            message: "woodstock-sandbox not found next to \(bundle.path): build it with `swift build --build-tests`")
    }

    private func stop() {
        ChildExit.stop(process)
    }

    /// Starts a sandbox (off the cooperative pool), runs `body`, and stops the sandbox afterwards.
    /// - Parameters:
    ///   - arguments: extra `woodstock-sandbox` options, e.g. `["--llm-api-key", "k"]`.
    ///   - body: the test code.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws, or a ``TestServerError`` when the executable is missing.
    public static func withSandbox<R>(
        arguments: [String] = [], _ body: (TestSandbox) async throws -> R
    ) async throws -> R {
        let sandbox = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try TestSandbox(arguments: arguments) })
            }
        }
        let result: Result<R, any Error>
        do {
            result = .success(try await body(sandbox))
        } catch {
            result = .failure(error)
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                sandbox.stop()
                continuation.resume()
            }
        }
        return try result.get()
    }
}
