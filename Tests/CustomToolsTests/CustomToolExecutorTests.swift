import Assistant
import CustomTools
import Foundation
import HTTP
import TestSupport
import Testing
import Vault

@Suite struct CustomToolExecutorTests {
    static let secret = "whsec_" + String(repeating: "5e", count: 32)

    /// Runs `body` with a TLS tool server and an executor that trusts it and may call loopback.
    func withExecutor(
        settings: CustomToolSettings = CustomToolSettings(allowsLoopback: true),
        _ body: (CustomToolExecutor, TestToolServer, TestLogCapture) async throws -> Void
    ) async throws {
        try await TestToolServer.withServer(secret: Self.secret) { server in
            var settings = settings
            settings.caBundlePath = server.caFile
            let logs = TestLogCapture()
            let http = try HTTPClient(configuration: settings.httpConfiguration, logger: logs.logger("test.http"))
            let executor = CustomToolExecutor(http: http, settings: settings, logger: logs.logger("test.tools"))
            do {
                try await body(executor, server, logs)
            } catch {
                await http.shutdown()
                throw error
            }
            await http.shutdown()
        }
    }

    func call(_ server: TestToolServer, _ path: String, timeout: Duration = .seconds(5)) -> CustomToolCall {
        CustomToolCall(
            toolName: "lookup_order", endpointURL: server.url(path), secret: Secret(Self.secret), timeout: timeout,
            arguments: ["order": "A-17"], tenantID: "tenant-1", conversationID: "conversation-1", callID: "call_abc")
    }

    @Test("signed POST: the receiver verifies the signature, the body carries the call, the result comes back")
    func signedCall() async throws {
        try await withExecutor { executor, server, logs in
            let text = try await executor.execute(call(server, "/tool/ok"))
            #expect(text == "order A-17 ships tomorrow")
            let received = try #require(try await server.received().first)
            #expect(received.signatureValid)
            #expect(received.headers["content-type"] == "application/json")
            let timestamp = try #require(received.headers["x-woodstock-timestamp"].flatMap { Int($0) })
            #expect(abs(timestamp - Int(Date().timeIntervalSince1970)) < 300)
            #expect(
                WebhookSignature.isValid(
                    try #require(received.headers["x-woodstock-signature"]), body: Array(received.body.utf8),
                    timestamp: String(timestamp), secret: Array(Self.secret.utf8)))
            let body = try JSONValue.parse(received.body)
            #expect(body["tool"]?.stringValue == "lookup_order")
            #expect(body["arguments"] == ["order": "A-17"])
            #expect(body["tenant_id"]?.stringValue == "tenant-1")
            #expect(body["conversation_id"]?.stringValue == "conversation-1")
            #expect(body["call_id"]?.stringValue == "call_abc")
            #expect(!logs.text.contains(Self.secret))
            #expect(logs.text.contains("custom tool called"))
        }
    }

    @Test("a non-string result is given to the model as JSON")
    func jsonResult() async throws {
        try await withExecutor { executor, server, _ in
            let text = try await executor.execute(call(server, "/tool/echo"))
            #expect(text == #"{"order":"A-17"}"#)
        }
    }

    @Test(
        "failures map to readable errors: timeout, 5xx, 4xx, oversized, not JSON, reported error",
        arguments: [
            ("/tool/slow?ms=3000", "timeout"), ("/tool/status/503", "httpStatus"), ("/tool/status/404", "httpStatus"),
            ("/tool/big?bytes=200000", "responseTooLarge"), ("/tool/notjson", "invalidResponse"),
            ("/tool/error", "toolReportedError"),
        ])
    func failures(_ path: String, _ code: String) async throws {
        try await withExecutor { executor, server, logs in
            let error = await #expect(throws: CustomToolsError.self) {
                try await executor.execute(call(server, path, timeout: .milliseconds(600)))
            }
            #expect(error?.code.description == code)
            let text = error?.description ?? ""
            #expect(text.contains("lookup_order"))
            #expect(!text.contains(Self.secret) && !text.contains("127.0.0.1") && !text.contains("/tool/"))
            #expect(!logs.text.contains(Self.secret))
            #expect(logs.text.contains("custom tool failed"))
        }
    }

    @Test("the reported error's text reaches the model")
    func reportedError() async throws {
        try await withExecutor { executor, server, _ in
            let error = await #expect(throws: CustomToolsError.self) {
                try await executor.execute(call(server, "/tool/error"))
            }
            #expect(error?.description.contains("order not found") == true)
        }
    }

    @Test("SSRF: with default settings a loopback endpoint is refused before any request is sent")
    func refusedBeforeSending() async throws {
        try await withExecutor(settings: CustomToolSettings()) { executor, server, _ in
            let error = await #expect(throws: CustomToolsError.self) {
                try await executor.execute(call(server, "/tool/ok"))
            }
            #expect(error?.code == .destinationRefused)
            let received = try await server.received()
            #expect(received.isEmpty)
        }
    }

    @Test("TLS is verified: without the test CA the call fails as unreachable")
    func tlsVerified() async throws {
        try await TestToolServer.withServer(secret: Self.secret) { server in
            let settings = CustomToolSettings(allowsLoopback: true)
            let logs = TestLogCapture()
            let http = try HTTPClient(configuration: settings.httpConfiguration, logger: logs.logger())
            let executor = CustomToolExecutor(http: http, settings: settings, logger: logs.logger())
            let error = await #expect(throws: CustomToolsError.self) {
                try await executor.execute(call(server, "/tool/ok"))
            }
            await http.shutdown()
            #expect(error?.code == .unreachable)
            #expect(try await server.received().isEmpty)
        }
    }
}
