import Foundation
import Testing

@testable import Assistant

@Suite struct AssistantTests {
    let persona = Persona(
        businessName: "Riga Bikes", tone: "friendly", facts: ["Open 9-18 Mon-Sat", "We ship to the Baltics"])

    static let searchSchema: JSONValue = [
        "type": "object", "properties": ["query": ["type": "string"]], "required": ["query"],
    ]

    @Test("a plain reply: Bearer key, META.md request shape, persona as system prompt")
    func plainReply() async throws {
        try await LLMTestServer.run { llm in
            try await llm.script(body: LLMTestServer.completion(content: "  We ship to Riga!  "))
            let reply = try await llm.assistant().reply(to: [.user("Do you ship to Riga?")], persona: persona)
            #expect(reply.text == "We ship to Riga!")
            #expect(reply.rounds == 1)
            #expect(reply.usage.totalTokens == 15)
            let (body, headers) = try #require(try await llm.received().first)
            #expect(headers["authorization"] == "Bearer sk-test-key")
            #expect(body["model"] == "gpt-4o-mini")
            #expect(body["max_tokens"] == 400)
            #expect(body["temperature"] == 0.3)
            #expect(body["tools"] == nil)
            guard case .array(let messages) = body["messages"] else { throw TestFailure("no messages") }
            #expect(messages.count == 2)
            #expect(messages[0]["role"] == "system")
            #expect(messages[0]["content"]?.stringValue?.contains("Riga Bikes") == true)
            #expect(messages[0]["content"]?.stringValue?.contains("We ship to the Baltics") == true)
            #expect(messages[1] == ["role": "user", "content": "Do you ship to Riga?"])
        }
    }

    @Test("tool loop: the call runs with parsed arguments, its result goes back with the call id")
    func toolLoop() async throws {
        try await LLMTestServer.run { llm in
            try await llm.script(
                body: LLMTestServer.completion(
                    content: nil,
                    toolCalls:
                        #"[{"id":"call_abc123","type":"function","function":{"name":"search_products","arguments":"{\"query\":\"city bike\"}"}}]"#
                ))
            try await llm.script(body: LLMTestServer.completion(content: "The city bike costs 420 EUR."))
            let seen = Recorder()
            let search = AssistantTool(name: "search_products", description: "Search", parameters: Self.searchSchema) {
                arguments in
                await seen.add(arguments["query"]?.stringValue ?? "")
                return "City bike: 420 EUR"
            }
            let reply = try await llm.assistant().reply(
                to: [.user("price of city bike?")], persona: persona, tools: [search])
            #expect(reply.text == "The city bike costs 420 EUR.")
            #expect(reply.rounds == 2)
            #expect(reply.toolCalls.map(\.name) == ["search_products"])
            #expect(await seen.values == ["city bike"])
            let requests = try await llm.received()
            #expect(requests.count == 2)
            #expect(requests[0].body["tool_choice"] == "auto")
            let tools = requests[0].body["tools"]
            #expect(
                tools == [
                    [
                        "type": "function",
                        "function": [
                            "name": "search_products", "description": "Search", "parameters": Self.searchSchema,
                        ],
                    ]
                ])
            guard case .array(let messages) = requests[1].body["messages"] else { throw TestFailure("no messages") }
            #expect(messages.count == 4)
            #expect(messages[2]["role"] == "assistant")
            #expect(messages[2]["content"] == .null)
            #expect(
                messages[2]["tool_calls"] == [
                    [
                        "id": "call_abc123", "type": "function",
                        "function": ["name": "search_products", "arguments": #"{"query":"city bike"}"#],
                    ]
                ])
            #expect(messages[3] == ["role": "tool", "content": "City bike: 420 EUR", "tool_call_id": "call_abc123"])
        }
    }

    @Test("defensive parsing: object arguments, missing id, invalid JSON and unknown tools become tool results")
    func defensiveToolCalls() async throws {
        try await LLMTestServer.run { llm in
            try await llm.script(
                body: LLMTestServer.completion(
                    content: nil,
                    toolCalls:
                        #"[{"type":"function","function":{"name":"search_products","arguments":{"query":"helmet"}}},{"id":"c2","type":"function","function":{"name":"search_products","arguments":"{query: oops"}},{"id":"c3","type":"function","function":{"name":"launch_rocket","arguments":"{}"}},{"id":"c4","type":"function","function":{"name":"search_products","arguments":"{\"query\":\"x\"}"}}]"#
                ))
            try await llm.script(body: LLMTestServer.completion(content: "Done."))
            let seen = Recorder()
            let search = AssistantTool(name: "search_products", description: "Search", parameters: Self.searchSchema) {
                arguments in
                let query = arguments["query"]?.stringValue ?? ""
                await seen.add(query)
                if query == "x" { throw TestFailure("catalogue offline") }
                return "found \(query)"
            }
            let reply = try await llm.assistant().reply(to: [.user("hi")], persona: persona, tools: [search])
            #expect(reply.text == "Done.")
            #expect(await seen.values == ["helmet", "x"])
            #expect(reply.toolCalls.map(\.failed) == [false, true, true, true])
            #expect(reply.toolCalls[1].result.hasPrefix("error: the arguments are not valid JSON"))
            #expect(reply.toolCalls[2].result == "error: unknown tool launch_rocket")
            #expect(reply.toolCalls[3].result.contains("catalogue offline"))
            let second = try await llm.received()[1].body
            guard case .array(let messages) = second["messages"] else { throw TestFailure("no messages") }
            let toolMessages = messages.filter { $0["role"] == "tool" }
            #expect(toolMessages.map { $0["tool_call_id"] } == ["call_0", "c2", "c3", "c4"])
            #expect(messages[2]["tool_calls"]?.jsonString.contains(#""arguments":"{\"query\":\"helmet\"}""#) == true)
        }
    }

    @Test("the loop is bounded: the last round forbids tools, a model that insists fails with toolLoopExceeded")
    func boundedLoop() async throws {
        try await LLMTestServer.run { llm in
            let call = #"[{"id":"c","type":"function","function":{"name":"search_products","arguments":"{}"}}]"#
            for _ in 0..<3 { try await llm.script(body: LLMTestServer.completion(content: nil, toolCalls: call)) }
            let search = AssistantTool(name: "search_products", description: "Search", parameters: Self.searchSchema) {
                _ in "nothing"
            }
            let error = await #expect(throws: AssistantError.self) {
                try await llm.assistant(maxRounds: 3).reply(to: [.user("hi")], persona: persona, tools: [search])
            }
            #expect(error?.code == .toolLoopExceeded)
            let requests = try await llm.received()
            #expect(requests.map { $0.body["tool_choice"] } == ["auto", "auto", "none"])
        }
    }

    @Test("a long reply is cut to the cap at a sentence end")
    func replyCap() async throws {
        try await LLMTestServer.run { llm in
            let long = String(repeating: "This is a very long answer. ", count: 90)
            try await llm.script(body: LLMTestServer.completion(content: long))
            let reply = try await llm.assistant(maxReplyBytes: 500).reply(to: [.user("long answer")], persona: persona)
            #expect(reply.text.utf8.count <= 500)
            #expect(reply.text.hasSuffix("answer."))
            #expect(reply.wasTrimmed)
        }
    }

    @Test("the reply cap never splits a character and falls back to a word end")
    func trimmer() {
        let text = String(repeating: "Grüße ", count: 100)
        let trimmed = ReplyTrimmer.trim(text, maxBytes: 101)
        #expect(trimmed.utf8.count <= 101)
        #expect(trimmed.hasSuffix("Grüße…"))
        #expect(ReplyTrimmer.trim("short", maxBytes: 100) == "short")
    }

    @Test("persona prompt mentions hand-over only when the tool is offered")
    func personaPrompt() {
        #expect(!persona.systemPrompt().contains("handover_to_human"))
        #expect(persona.systemPrompt(toolNames: ["handover_to_human"]).contains("handover_to_human"))
        #expect(persona.systemPrompt().contains("Tone: friendly."))
    }
}

/// Collects values from tool handlers.
actor Recorder {
    private(set) var values: [String] = []
    func add(_ value: String) { values.append(value) }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
