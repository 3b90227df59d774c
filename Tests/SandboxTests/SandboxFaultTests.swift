import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import SandboxServer

@Suite struct SandboxFaultTests {
    static let send = ByteBuffer.text(#"{"recipient":{"id":"1"},"message":{"text":"x"}}"#)
    static let bearer: HTTPFields = [.authorization: "Bearer sandbox-t", .contentType: "application/json"]

    @Test("a graph fault for the next N calls fires N times on its route only, then the route recovers")
    func nextNCalls() async throws {
        try await withSandbox { client in
            let faults = #"{"graph":[{"route":"send","code":4,"times":2,"retry_after":3}]}"#
            let set = try await client.execute(uri: "/_sandbox/faults", method: .post, body: .text(faults))
            #expect(set.status == .ok)
            let profile = try await client.execute(uri: "/v26.0/42?fields=name", method: .get, headers: Self.bearer)
            #expect(profile.status == .ok)
            for _ in 0..<2 {
                let failed = try await client.execute(
                    uri: "/v26.0/me/messages", method: .post, headers: Self.bearer, body: Self.send)
                #expect(failed.status == .badRequest)
                #expect(failed.headers[.retryAfter] == "3")
                let error = try #require(try json(failed.body)["error"])
                #expect(error["code"]?.stringValue == "4")
                #expect(error["message"]?.stringValue == "(#4) Application request limit reached")
                #expect(error["fbtrace_id"] != nil)
            }
            let ok = try await client.execute(
                uri: "/v26.0/me/messages", method: .post, headers: Self.bearer, body: Self.send)
            #expect(ok.status == .ok)
            let sent = try json(try await client.execute(uri: "/_sandbox/sent", method: .get).body).arrayValue
            #expect(sent.count == 1)
        }
    }

    @Test("outside-window and 5xx graph faults use Meta's codes; a bare 5xx becomes code 2")
    func graphShapes() async throws {
        try await withSandbox { client in
            let faults = #"{"graph":[{"code":10,"subcode":2534022,"times":1},{"status":503,"times":1}]}"#
            _ = try await client.execute(uri: "/_sandbox/faults", method: .post, body: .text(faults))
            let window = try json(
                try await client.execute(uri: "/me/messages", method: .post, headers: Self.bearer, body: Self.send).body
            )
            #expect(window["error"]?["error_subcode"]?.stringValue == "2534022")
            let unavailable = try await client.execute(
                uri: "/me/messages", method: .post, headers: Self.bearer, body: Self.send)
            #expect(unavailable.status == .serviceUnavailable)
            #expect(try json(unavailable.body)["error"]?["code"]?.stringValue == "2")
        }
    }

    @Test("LLM 429 with Retry-After, then 500, then success; reset clears faults and recordings")
    func llmFaultsAndReset() async throws {
        try await withSandbox { client in
            let faults = #"{"llm":[{"status":429,"retry_after":2,"times":1},{"status":500,"times":1}]}"#
            _ = try await client.execute(uri: "/_sandbox/faults", method: .post, body: .text(faults))
            let body = ByteBuffer.text(#"{"messages":[{"role":"user","content":"hi"}]}"#)
            let headers: HTTPFields = [.authorization: "Bearer k"]
            let limited = try await client.execute(
                uri: "/v1/chat/completions", method: .post, headers: headers, body: body)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] == "2")
            #expect(try json(limited.body)["error"]?["type"]?.stringValue == "rate_limit_error")
            let failed = try await client.execute(
                uri: "/v1/chat/completions", method: .post, headers: headers, body: body)
            #expect(failed.status == .internalServerError)
            let ok = try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers, body: body)
            #expect(ok.status == .ok)
            let calls = try json(try await client.execute(uri: "/_sandbox/llm-calls", method: .get).body).arrayValue
            #expect(calls.compactMap { $0["outcome"]?.stringValue } == ["error:429", "error:500", "stop"])

            _ = try await client.execute(
                uri: "/_sandbox/faults", method: .post, body: .text(#"{"llm":[{"status":503}]}"#))
            _ = try await client.execute(uri: "/_sandbox/reset", method: .post)
            let afterReset = try await client.execute(
                uri: "/v1/chat/completions", method: .post, headers: headers, body: body)
            #expect(afterReset.status == .ok)
            let remaining = try json(try await client.execute(uri: "/_sandbox/llm-calls", method: .get).body)
            #expect(remaining.arrayValue.count == 1)
        }
    }

    @Test("probability 0 never fires; malformed fault JSON is refused")
    func probabilityAndValidation() async throws {
        try await withSandbox { client in
            _ = try await client.execute(
                uri: "/_sandbox/faults", method: .post, body: .text(#"{"graph":[{"code":2,"probability":0}]}"#))
            for _ in 0..<5 {
                let ok = try await client.execute(
                    uri: "/me/messages", method: .post, headers: Self.bearer, body: Self.send)
                #expect(ok.status == .ok)
            }
            let bad = try await client.execute(uri: "/_sandbox/faults", method: .post, body: .text("{nope"))
            #expect(bad.status == .badRequest)
        }
    }

    @Test(
        "latency specs parse fixed and ranged forms and draw within range",
        arguments: [
            ("1500", 1500, 1500), ("100-300", 100, 300), ("0", 0, 0),
        ])
    func latencyParsing(text: String, low: Int, high: Int) throws {
        let spec = try #require(LatencySpec(parsing: text))
        for _ in 0..<20 { #expect((low...high).contains(spec.draw())) }
    }

    @Test("invalid latency specs are refused", arguments: ["", "abc", "300-100", "-5", "1-2-3"])
    func latencyInvalid(text: String) {
        #expect(LatencySpec(parsing: text) == nil)
    }
}
