import Foundation
import HTTP
import Logging
import TestSupport
import Testing

@testable import Assistant

/// The assistant against `woodstock-sandbox`'s OpenAI-compatible chat completions.
@Suite struct AssistantSandboxTests {
    static func withAssistant(
        maxRounds: Int = 4, _ body: (TestSandbox, HTTPClient, Assistant) async throws -> Void
    ) async throws {
        try await TestSandbox.withSandbox(arguments: ["--llm-api-key", "sk-sandbox"]) { sandbox in
            let http = try HTTPClient(logger: Logger(label: "test.sandbox"))
            let configuration = AssistantConfiguration(
                baseURL: sandbox.baseURL, apiKey: "sk-sandbox", timeout: .seconds(10), maxRounds: maxRounds)
            let logger = Logger(label: "test.assistant")
            let assistant = Assistant(
                client: ChatCompletionsClient(http: http, configuration: configuration, logger: logger), logger: logger)
            do {
                try await body(sandbox, http, assistant)
            } catch {
                await http.shutdown()
                throw error
            }
            await http.shutdown()
        }
    }

    @Test("a plain answer, then a tool round trip, with the persona as the system prompt")
    func toolRoundTrip() async throws {
        try await Self.withAssistant { sandbox, http, assistant in
            let persona = Persona(businessName: "Riga Bikes", facts: ["Open 9-18"])
            let plain = try await assistant.reply(to: [.user("hello there")], persona: persona)
            #expect(plain.text.contains("hello there"))
            #expect(plain.rounds == 1)

            let search = AssistantTool(
                name: "search_products", description: "Search the catalogue",
                parameters: ["type": "object", "properties": ["query": ["type": "string"]]]
            ) { arguments in "\(arguments["query"]?.stringValue ?? ""): 420 EUR" }
            let handover = AssistantTool(
                name: "handover_to_human", description: "Hand the conversation to a person",
                parameters: ["type": "object", "properties": ["reason": ["type": "string"]]]
            ) { _ in "handed over" }
            let priced = try await assistant.reply(
                to: [.user("What is the price of city bike?")], persona: persona, tools: [search, handover])
            #expect(priced.rounds == 2)
            #expect(priced.toolCalls.map(\.name) == ["search_products"])
            #expect(priced.text.contains("city bike: 420 EUR"))
            let human = try await assistant.reply(
                to: [.user("I want a human please")], persona: persona, tools: [search, handover])
            #expect(human.toolCalls.map(\.name) == ["handover_to_human"])

            let calls = try await http.execute(HTTPRequest(url: sandbox.baseURL + "/_sandbox/llm-calls"))
            let list = try #require(try JSONSerialization.jsonObject(with: Data(calls.body)) as? [[String: Any]])
            #expect(list.count == 5)
            #expect((list.first?["system"] as? String)?.contains("Riga Bikes") == true)
        }
    }

    @Test("sandbox LLM faults: 429 with Retry-After, quota, 5xx, bad key")
    func faults() async throws {
        try await Self.withAssistant { sandbox, http, assistant in
            let faults = #"""
                {"llm":[{"status":429,"retry_after":2,"times":1},{"status":429,"type":"insufficient_quota","times":1},
                        {"status":503,"times":1}]}
                """#
            let set = try await http.execute(
                HTTPRequest(
                    method: .post, url: sandbox.baseURL + "/_sandbox/faults",
                    headers: ["Content-Type": "application/json"], body: Array(faults.utf8)))
            #expect(set.status == 200)
            var outcomes: [(AssistantError.Code, Bool)] = []
            for _ in 0..<3 {
                let error = await #expect(throws: AssistantError.self) {
                    try await assistant.reply(to: [.user("hi")], persona: Persona(businessName: "B"))
                }
                outcomes.append((error?.code ?? .apiError, error?.isRetryable ?? false))
                if error?.code == .rateLimited { #expect(error?.retryAfter == .seconds(2)) }
            }
            #expect(outcomes.map(\.0) == [.rateLimited, .insufficientQuota, .apiError])
            #expect(outcomes.map(\.1) == [true, false, true])
            #expect(try await assistant.reply(to: [.user("hi")], persona: Persona(businessName: "B")).rounds == 1)

            var badKey = assistant.client.configuration
            badKey.apiKey = "sk-wrong"
            let wrong = Assistant(
                client: ChatCompletionsClient(http: http, configuration: badKey, logger: Logger(label: "t")),
                logger: Logger(label: "t"))
            let unauthorized = await #expect(throws: AssistantError.self) {
                try await wrong.reply(to: [.user("hi")], persona: Persona(businessName: "B"))
            }
            #expect(unauthorized?.status == 401)
            #expect(unauthorized?.isRetryable == false)
            #expect(unauthorized?.description.contains("sk-wrong") == false)
        }
    }
}
