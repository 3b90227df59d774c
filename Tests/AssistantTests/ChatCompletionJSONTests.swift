import Assistant
import Foundation
import HTTP
import Testing

@Suite struct ChatCompletionJSONTests {
    private static func encoderBytes(_ request: ChatCompletionRequest) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(request), as: UTF8.self)
    }

    private static let schema: JSONValue = [
        "type": "object",
        "properties": [
            "query": ["type": "string", "description": "product \"name\" / SKU"],
            "limit": ["type": "integer", "minimum": 1, "maximum": 1e20, "multipleOf": 0.5],
            "exact": ["type": "boolean", "default": false],
            "tags": ["type": "array", "items": ["type": "string"], "default": .null],
        ],
        "required": ["query"],
        "additionalProperties": false,
    ]

    private static let requests: [ChatCompletionRequest] = [
        ChatCompletionRequest(model: "gpt-4o-mini", messages: [.user("hi")]),
        ChatCompletionRequest(
            model: "gpt-4o-mini",
            messages: [
                .system("You are \"Shop\".\nBe brief\t/ polite. \u{1}\u{1F}é😀"), .user("Where's my order?"),
                .assistant("Let me check."),
                ChatMessage(
                    role: .assistant, content: nil,
                    toolCalls: [ToolCall(id: "call_1", name: "search_products", arguments: #"{"query":"bike"}"#)]),
                .tool(id: "call_1", result: "city bike: 420 EUR\\n"),
            ],
            temperature: 0.7, maxTokens: 400,
            tools: [
                ToolDefinition(name: "search_products", description: "Search the shop's products.", parameters: schema),
                ToolDefinition(
                    name: "handover_to_human", description: "Hand over.",
                    parameters: ["type": "object", "properties": ["reason": ["type": "string"]], "required": []]),
            ],
            toolChoice: "auto"),
        ChatCompletionRequest(
            model: "m", messages: [.user("")], temperature: 1.0, maxTokens: 0, tools: [],
            toolChoice: ["type": "function", "function": ["name": "search_products"]]),
    ]

    @Test("the request body is byte for byte what JSONEncoder writes with sorted keys", arguments: 0..<3)
    func sameBytesAsEncoder(_ index: Int) throws {
        let request = Self.requests[index]
        #expect(String(decoding: try request.jsonBytes(), as: UTF8.self) == (try Self.encoderBytes(request)))
    }

    @Test("the body is the same in every call (no per-process key order)")
    func stableOrder() throws {
        let request = Self.requests[1]
        let first = try request.jsonBytes()
        #expect(String(decoding: first, as: UTF8.self).hasPrefix(#"{"max_tokens":400,"messages":[{"content":"#))
        for _ in 0..<5 { #expect(try request.jsonBytes() == first) }
    }

    @Test("a NaN temperature or schema number cannot be encoded")
    func nonConforming() {
        let bad = ChatCompletionRequest(model: "m", messages: [.user("x")], temperature: .nan)
        #expect(throws: JSONBodyWriter.NonConformingNumber.self) { _ = try bad.jsonBytes() }
        let badSchema = ChatCompletionRequest(
            model: "m", messages: [.user("x")],
            tools: [ToolDefinition(name: "t", description: "d", parameters: ["max": .number(.infinity)])])
        #expect(throws: JSONBodyWriter.NonConformingNumber.self) { _ = try badSchema.jsonBytes() }
    }
}
