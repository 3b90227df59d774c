import Foundation

/// A local scriptable HTTP server (Tests/HTTPTests/Fixtures/test_server.py) on a free loopback port, for tests
/// of the HTTP client and of the clients built on it (Meta Graph API, chat completions).
///
/// Routes: `/status/<code>`, `/echo`, `/slow?ms=`, `/delay?ms=` + `/stats`, `/big?bytes=`, and scripted replies:
/// POST ``scriptBody(method:path:status:body:headers:times:delayMilliseconds:)`` to `/__script`, read what the
/// scripted routes received from `/__requests`.
///
public final class TestHTTPServer: Sendable {
    /// The port the server listens on (127.0.0.1).
    public var port: Int { process.port }
    private let process: FixtureProcess

    /// `http://127.0.0.1:<port>`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The absolute URL of `path` on this server.
    /// - Parameter path: a path starting with `/`, with any query.
    /// - Returns: the URL string.
    public func url(_ path: String) -> String { baseURL + path }

    private init(process: FixtureProcess) {
        self.process = process
    }

    /// Starts a server, runs `body`, and stops the server even when `body` throws.
    /// - Parameter body: the test code.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws, or a ``TestServerError`` when python3 is missing.
    public static func withServer<R>(_ body: (TestHTTPServer) async throws -> R) async throws -> R {
        let server = TestHTTPServer(process: try await FixtureProcess.start(script: "test_server.py"))
        do {
            let result = try await body(server)
            await server.process.stopAsync()
            return result
        } catch {
            await server.process.stopAsync()
            throw error
        }
    }

    /// The JSON body to POST to `/__script` to queue a scripted reply.
    /// - Parameters:
    ///   - method: the request method to match.
    ///   - path: the request path to match (the query is ignored).
    ///   - status: the reply status.
    ///   - body: the reply body (JSON text).
    ///   - headers: extra reply headers.
    ///   - times: how many requests this reply serves; `nil` for all.
    ///   - delayMilliseconds: a delay before replying.
    /// - Returns: the request body bytes.
    public static func scriptBody(
        method: String = "POST", path: String, status: Int = 200, body: String = "{}",
        headers: [String: String] = [:], times: Int? = nil, delayMilliseconds: Int = 0
    ) -> [UInt8] {
        var object: [String: Any] = [
            "method": method, "path": path, "status": status, "body": body, "headers": headers,
            "delay_ms": delayMilliseconds,
        ]
        if let times { object["times"] = times }
        return (try? JSONSerialization.data(withJSONObject: object)).map { Array($0) } ?? []
    }
}

/// The test server could not start.
public struct TestServerError: Error, CustomStringConvertible {
    /// What happened.
    public let message: String
    /// The message.
    public var description: String { message }
}
