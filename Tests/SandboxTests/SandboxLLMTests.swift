import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import SandboxServer

@Suite struct SandboxLLMTests {
    static let headers: HTTPFields = [.authorization: "Bearer sk-test", .contentType: "application/json"]
    static let tools =
        #"[{"type":"function","function":{"name":"search_products","parameters":{"type":"object"}}},"#
        + #"{"type":"function","function":{"name":"handover_to_human","parameters":{"type":"object"}}}]"#

    static func complete(_ client: some TestClientProtocol, messages: String) async throws -> TestResponse {
        try await client.execute(
            uri: "/v1/chat/completions", method: .post, headers: headers,
            body: .text(#"{"model":"gpt-4o-mini","messages":\#(messages),"tools":\#(tools),"tool_choice":"auto"}"#))
    }

    @Test("a plain message gets a deterministic, recognisable stop reply")
    func echo() async throws {
        try await withSandbox { client in
            let response = try await Self.complete(
                client, messages: #"[{"role":"system","content":"persona"},{"role":"user","content":"Do you ship?"}]"#)
            let body = try json(response.body)
            #expect(body["object"]?.stringValue == "chat.completion")
            let choice = try #require(body["choices"]?.arrayValue.first)
            #expect(choice["finish_reason"]?.stringValue == "stop")
            #expect(choice["message"]?["content"]?.stringValue == #"Sandbox AI: you said "Do you ship?""#)
            let calls = try json(try await client.execute(uri: "/_sandbox/llm-calls", method: .get).body).arrayValue
            #expect(calls.first?["system"]?.stringValue == "persona")
            #expect(calls.first?["outcome"]?.stringValue == "stop")
        }
    }

    @Test("price question → search_products tool call; tool result → stop reply quoting it")
    func toolLoop() async throws {
        try await withSandbox { client in
            let first = try json(
                try await Self.complete(
                    client, messages: #"[{"role":"user","content":"What is the price of red boots?"}]"#
                )
                .body)
            let choice = try #require(first["choices"]?.arrayValue.first)
            #expect(choice["finish_reason"]?.stringValue == "tool_calls")
            #expect(choice["message"]?["content"] == .null)
            let call = try #require(choice["message"]?["tool_calls"]?.arrayValue.first)
            #expect(call["function"]?["name"]?.stringValue == "search_products")
            let arguments = try #require(call["function"]?["arguments"]?.stringValue)
            #expect(JSONValue.parse(Array(arguments.utf8))?["query"]?.stringValue == "red boots")
            let id = try #require(call["id"]?.stringValue)
            let second = try json(
                try await Self.complete(
                    client,
                    messages: #"[{"role":"user","content":"What is the price of red boots?"},"#
                        + #"{"role":"assistant","content":null,"tool_calls":[\#(call.jsonText)]},"#
                        + #"{"role":"tool","tool_call_id":"\#(id)","content":"Red boots: 49 EUR"}]"#
                ).body)
            let final = try #require(second["choices"]?.arrayValue.first)
            #expect(final["finish_reason"]?.stringValue == "stop")
            #expect(final["message"]?["content"]?.stringValue?.contains("Red boots: 49 EUR") == true)
        }
    }

    @Test("asking for a human → handover_to_human tool call")
    func handover() async throws {
        try await withSandbox { client in
            let body = try json(
                try await Self.complete(client, messages: #"[{"role":"user","content":"I want a HUMAN please"}]"#).body)
            let call = body["choices"]?.arrayValue.first?["message"]?["tool_calls"]?.arrayValue.first
            #expect(call?["function"]?["name"]?.stringValue == "handover_to_human")
        }
    }

    @Test("missing API key → 401 in OpenAI's error shape")
    func missingKey() async throws {
        try await withSandbox { client in
            let response = try await client.execute(
                uri: "/v1/chat/completions", method: .post, body: .text(#"{"messages":[]}"#))
            #expect(response.status == .unauthorized)
            let error = try #require(try json(response.body)["error"])
            #expect(error["type"]?.stringValue == "invalid_request_error")
            #expect(error["param"] == .null)
        }
    }
}

extension JSONValue {
    /// The value re-encoded as JSON text.
    var jsonText: String {
        String(decoding: (try? SandboxResponse.encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}
