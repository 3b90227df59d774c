import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import SandboxServer

/// The chat-completions route reads requests with the sandbox's own JSON reader and writes answers with its own
/// writer: what clients send (tool calls, tool results, unknown members) and what they get back must not change.
@Suite struct SandboxLLMRequestTests {
    static let headers: HTTPFields = [.authorization: "Bearer sk-test", .contentType: "application/json"]

    static func post(_ client: some TestClientProtocol, _ body: String) async throws -> TestResponse {
        try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers, body: .text(body))
    }

    /// The body re-encoded by `JSONEncoder`: equal bytes mean the writer changed nothing on the wire.
    static func reencoded(_ buffer: ByteBuffer) throws -> String {
        String(decoding: try SandboxResponse.encoder.encode(try json(buffer)), as: UTF8.self)
    }

    @Test("a round with tool calls, tool results and unknown members answers with the tool results")
    func toolResultsRound() async throws {
        try await withSandbox { client in
            let body =
                #"{"model":"gpt-4.1","temperature":0.3,"max_tokens":300,"parallel_tool_calls":true,"user":"u1","#
                + #""tools":[{"type":"function","function":{"name":"search_products","description":"Find","#
                + #""parameters":{"type":"object","properties":{"query":{"type":"string"}},"required":["query"]}}}],"#
                + #""messages":[{"role":"system","content":"persona \u00e9"},"#
                + #"{"role":"user","content":[{"type":"text","text":"price of"},{"type":"text","text":"mugs"}]},"#
                + #"{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","#
                + #""function":{"name":"search_products","arguments":"{\"query\":\"mugs\"}"}}]},"#
                + #"{"role":"tool","tool_call_id":"call_1","content":"Mug: 12 EUR\nCup: 9 EUR"},"#
                + #"{"role":"tool","tool_call_id":"call_2","content":"second \"result\""}],"#
                + #""metadata":{"nested":[1,{"deep":null}]},"stream":false}"#
            let response = try await Self.post(client, body)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json; charset=UTF-8")
            #expect(String(buffer: response.body) == (try Self.reencoded(response.body)))
            let answer = try json(response.body)
            #expect(answer["model"]?.stringValue == "gpt-4.1")
            let choice = try #require(answer["choices"]?.arrayValue.first)
            #expect(choice["finish_reason"]?.stringValue == "stop")
            #expect(
                choice["message"]?["content"]?.stringValue
                    == "Sandbox AI: here is what I found: Mug: 12 EUR\nCup: 9 EUR; second \"result\"")
            let call = try #require(
                try json(try await client.execute(uri: "/_sandbox/llm-calls", method: .get).body).arrayValue.first)
            #expect(call["message_count"]?.stringValue == "5")
            #expect(call["system"]?.stringValue == "persona é")
            #expect(call["last_user"]?.stringValue == "price of mugs")
            #expect(call["last_role"]?.stringValue == "tool")
            #expect(call["tools"] == .array([.string("search_products")]))
        }
    }

    @Test("a forced tool_choice with escaped user text calls the tool with that text as the query")
    func forcedToolChoice() async throws {
        try await withSandbox { client in
            let body =
                #"{"model":"m","tool_choice":{"type":"function","function":{"name":"lookup"}},"#
                + #""tools":[{"type":"function","function":{"name":"lookup","parameters":{}}},],"#
                + #""messages":[{"role":"user","content":"where is \"A-17\"?\t\ud83d\ude00 / done"},]}"#
            let response = try await Self.post(client, body)
            #expect(String(buffer: response.body) == (try Self.reencoded(response.body)))
            let message = try #require(try json(response.body)["choices"]?.arrayValue.first?["message"])
            let call = try #require(message["tool_calls"]?.arrayValue.first)
            #expect(call["function"]?["name"]?.stringValue == "lookup")
            #expect(
                call["function"]?["arguments"]?.stringValue == #"{"query":"where is \"A-17\"?\t😀 / done"}"#)
            #expect(message["content"] == .null)
        }
    }

    @Test("malformed JSON, a missing or empty messages list → the same 400 body as before")
    func malformed() async throws {
        let expected =
            #"{"error":{"code":null,"message":"'messages' is a required property","param":null,"#
            + #""type":"invalid_request_error"}}"#
        try await withSandbox { client in
            for body in [
                #"{"model":"m","messages":[{"role":"user","content":"hi"}]"#,
                #"{"model":"m","messages":[{"role":"user","content":"hi"} {"role":"user"}]}"#,
                #"{"model":"m","messages":[{"role":"user","content":"bad \x escape"}]}"#,
                #"{"model":"m","tools":[{"function":{"name":"a","parameters":{"x":01}}}],"messages":[{"role":"user"}]}"#,
                #"{"model":"m"}"#, #"{"model":"m","messages":[]}"#, #"{"messages":"hi"}"#, "", "null",
            ] {
                let response = try await Self.post(client, body)
                #expect(response.status == .badRequest, "\(body)")
                #expect(String(buffer: response.body) == expected, "\(body)")
            }
            let calls = try json(try await client.execute(uri: "/_sandbox/llm-calls", method: .get).body).arrayValue
            #expect(calls.count == 9)
            #expect(calls.allSatisfy { $0["outcome"]?.stringValue == "error:400" })
        }
    }

    @Test("a configured LLM latency delays the answer by at least that long")
    func latency() async throws {
        let configuration = SandboxConfiguration(faults: SandboxFaults(llmLatency: LatencySpec(minMilliseconds: 300)))
        try await withSandbox(configuration) { client in
            let started = ContinuousClock.now
            let response = try await Self.post(client, #"{"messages":[{"role":"user","content":"hi"}]}"#)
            #expect(response.status == .ok)
            #expect(ContinuousClock.now - started >= .milliseconds(300))
        }
    }

    @Test("cancelling a delayed call ends its pause with CancellationError")
    func pauseCancellation() async throws {
        let sandbox = SandboxServer(logger: Logger(label: "sandbox.test"))
        let pause = Task { try await sandbox.pause(120_000) }
        pause.cancel()
        await #expect(throws: CancellationError.self) { try await pause.value }
    }
}
