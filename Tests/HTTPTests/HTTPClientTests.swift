import Foundation
import HTTP
import Logging
import TestSupport
import Testing

@Suite struct HTTPClientTests {
    let logger = Logger(label: "test.http")

    @Test("status codes and response headers come back as they were sent", arguments: [200, 201, 204, 404, 500, 503])
    func statusCodes(_ code: Int) async throws {
        try await TestHTTPServer.withServer { server in
            let client = try HTTPClient(logger: logger)
            let response = try await client.execute(HTTPRequest(url: server.url("/status/\(code)")))
            #expect(response.status == code)
            #expect(response.headers["x-status"] == "\(code)")
            #expect(response.headers["X-STATUS"] == "\(code)")
            #expect(response.isSuccess == (200..<300).contains(code))
            await client.shutdown()
        }
    }

    @Test("request headers, method and a binary body reach the server")
    func echo() async throws {
        try await TestHTTPServer.withServer { server in
            let client = try HTTPClient(logger: logger)
            for method in [HTTPMethod.post, .put, .patch, .delete] {
                let request = HTTPRequest(
                    method: method, url: server.url("/echo?x=1"),
                    headers: ["Authorization": "Bearer abc", "Content-Type": "application/json"],
                    body: Array(#"{"a":"é"}"#.utf8))
                let response = try await client.execute(request)
                #expect(response.status == 200)
                #expect(response.headers["X-Echo"] == "yes")
                let echo = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
                #expect(echo["method"] as? String == method.rawValue)
                #expect(echo["query"] as? String == "x=1")
                #expect(echo["body"] as? String == #"{"a":"é"}"#)
                let headers = try #require(echo["headers"] as? [String: String])
                #expect(headers["authorization"] == "Bearer abc")
                #expect(headers["expect"] == nil)
            }
            let get = try await client.execute(HTTPRequest(url: server.url("/echo")))
            let echo = try #require(try JSONSerialization.jsonObject(with: Data(get.body)) as? [String: Any])
            #expect(echo["method"] as? String == "GET")
            await client.shutdown()
        }
    }

    @Test("a slow endpoint hits the timeout with a clear error that hides the query string")
    func timeout() async throws {
        try await TestHTTPServer.withServer { server in
            let client = try HTTPClient(logger: logger)
            let request = HTTPRequest(url: server.url("/slow?ms=3000&token=secret"), timeout: .milliseconds(300))
            let error = await #expect(throws: HTTPError.self) { try await client.execute(request) }
            #expect(error?.code == .timeout)
            let message = error?.message ?? ""
            #expect(message.contains("timed out"))
            #expect(message.contains("300 ms"))
            #expect(message.contains("/slow"))
            #expect(!message.contains("secret"))
            #expect(!message.contains("?"))
            await client.shutdown()
        }
    }

    @Test("200 requests in flight at once finish on one curl thread")
    func manyInFlight() async throws {
        try await TestHTTPServer.withServer { server in
            let client = try HTTPClient(logger: logger)
            _ = try await client.execute(HTTPRequest(url: server.url("/status/200")))  // the loop thread exists
            let baseline = Self.threadCount()
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<200 {
                    group.addTask {
                        try await client.execute(HTTPRequest(url: server.url("/delay?ms=1500"), timeout: .seconds(60)))
                            .status
                    }
                }
                // Sample the thread count while the server holds the requests.
                var maxThreads = 0
                let statsRequest = HTTPRequest(url: server.url("/stats"))
                while true {
                    maxThreads = max(maxThreads, Self.threadCount())
                    let stats = try await client.execute(statsRequest)
                    let object = try JSONSerialization.jsonObject(with: Data(stats.body)) as? [String: Int]
                    if (object?["max_concurrent"] ?? 0) >= 150 { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                maxThreads = max(maxThreads, Self.threadCount())
                // Thread-per-request would add ~200 threads; the margin absorbs other tests running in parallel
                // (alone, the growth is 0-4 threads).
                #expect(maxThreads - baseline < 50, "threads: baseline \(baseline), max \(maxThreads)")
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.count == 200)
            #expect(statuses.allSatisfy { $0 == 200 })
            await client.shutdown()
        }
    }

    @Test("cancelling the task aborts its transfer")
    func cancellation() async throws {
        try await TestHTTPServer.withServer { server in
            let client = try HTTPClient(logger: logger)
            let task = Task {
                try await client.execute(HTTPRequest(url: server.url("/slow?ms=60000"), timeout: .seconds(120)))
            }
            try await Self.waitForServerRequests(server, client: client, atLeast: 1, besides: 0)
            task.cancel()
            let result = await task.result
            #expect(throws: CancellationError.self) { try result.get() }
            // The client still works afterwards.
            #expect(try await client.execute(HTTPRequest(url: server.url("/status/200"))).status == 200)
            await client.shutdown()
        }
    }

    @Test("an already cancelled task never starts its request")
    func cancelledBeforeStart() async throws {
        let client = try HTTPClient(logger: logger)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await client.execute(HTTPRequest(url: "http://127.0.0.1:9/never"))
        }
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
        await client.shutdown()
    }

    @Test("shutdown fails requests in flight and later ones with clientShutdown")
    func shutdown() async throws {
        try await TestHTTPServer.withServer { server in
            let client = try HTTPClient(logger: logger)
            let task = Task {
                try await client.execute(HTTPRequest(url: server.url("/slow?ms=60000"), timeout: .seconds(120)))
            }
            try await Self.waitForServerRequests(server, client: client, atLeast: 1, besides: 0)
            await client.shutdown()
            let result = await task.result
            #expect(throws: HTTPError.self) { try result.get() }
            if case .failure(let error as HTTPError) = result { #expect(error.code == .clientShutdown) }
            let late = await #expect(throws: HTTPError.self) {
                try await client.execute(HTTPRequest(url: server.url("/status/200")))
            }
            #expect(late?.code == .clientShutdown)
            await client.shutdown()
        }
    }

    @Test("bad URLs, header injection, oversized bodies and refused connections map to their codes")
    func failures() async throws {
        try await TestHTTPServer.withServer { server in
            let client = try HTTPClient(configuration: .init(maxResponseBytes: 1000), logger: logger)
            let file = await #expect(throws: HTTPError.self) {
                try await client.execute(HTTPRequest(url: "file:///etc/passwd"))
            }
            #expect(file?.code == .invalidRequest)
            let injected = await #expect(throws: HTTPError.self) {
                try await client.execute(HTTPRequest(url: server.url("/echo"), headers: ["X-A": "1\r\nX-B: 2"]))
            }
            #expect(injected?.code == .invalidRequest)
            let big = await #expect(throws: HTTPError.self) {
                try await client.execute(HTTPRequest(url: server.url("/big?bytes=5000")))
            }
            #expect(big?.code == .responseTooLarge)
            #expect(try await client.execute(HTTPRequest(url: server.url("/big?bytes=999"))).body.count == 999)
            let refused = await #expect(throws: HTTPError.self) {
                try await client.execute(HTTPRequest(url: "http://127.0.0.1:9/x?access_token=SECRET"))
            }
            #expect(refused?.code == .transport)
            #expect(refused?.message?.contains("SECRET") == false)
            #expect(refused?.message?.contains("Couldn't connect") == true)
            await client.shutdown()
        }
    }

    @Test("a request's description hides its query, user info and header values")
    func redaction() {
        let request = HTTPRequest(
            method: .post, url: "https://user:pw@graph.instagram.com/v24.0/me?access_token=T#frag",
            headers: ["Authorization": "Bearer T"])
        #expect(request.description == "POST https://graph.instagram.com/v24.0/me")
        #expect(request.headers.description == "HTTPHeaders(Authorization)")
    }

    static func threadCount() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? 0
    }

    /// Waits (up to 60 s) until the server has counted `atLeast` requests beyond `besides`.
    static func waitForServerRequests(
        _ server: TestHTTPServer, client: HTTPClient, atLeast: Int, besides: Int
    ) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let stats = try await client.execute(HTTPRequest(url: server.url("/stats")))
            let object = try JSONSerialization.jsonObject(with: Data(stats.body)) as? [String: Int]
            // /stats itself counts as a request; the slow one is still in flight when max_concurrent is set.
            if (object?["max_concurrent"] ?? 0) >= atLeast { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("server never saw the request")
    }
}
