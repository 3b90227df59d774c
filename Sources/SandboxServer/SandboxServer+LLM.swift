import Foundation
import Hummingbird

extension SandboxServer {
    /// The prefix of every sandbox model reply, so tests can recognise it.
    static let replyPrefix = "Sandbox AI: "

    /// `POST /v1/chat/completions`: deterministic replies and tool calls in OpenAI's format.
    ///
    /// - last message from a tool → `stop` with a reply quoting the tool results;
    /// - user text containing "human" and `handover_to_human` offered → a call to it;
    /// - user text containing "price of X" and `search_products` offered → a call with `{"query":"X"}`;
    /// - user text containing "use tool <name>" and that tool offered → a call to it (``namedToolCall(_:offered:)``);
    /// - `tool_choice` naming a function (or `required`) → a call to it;
    /// - user text containing "long answer" → a 2,500-character reply;
    /// - otherwise `stop` with `Sandbox AI: you said "<first 80 characters>"`.
    func chatCompletions(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let input = try await RequestInput.read(request, context: context)
        let (delay, fault) = state.drawFault(llm: true, route: "chat")
        try await pause(delay)
        let key = input.token ?? ""
        var record = LLMCallRecord(
            seq: 0, model: nil, messageCount: 0, system: nil, lastUser: nil, lastRole: nil, tools: [],
            outcome: "", toolCalled: nil, reply: nil, keyID: SandboxState.fingerprint(key),
            timeMs: SandboxState.nowMs())
        let response = answer(input: input, key: key, fault: fault, record: &record)
        state.record(llmCall: record)
        return response
    }

    private func answer(input: RequestInput, key: String, fault: FaultRule?, record: inout LLMCallRecord) -> Response {
        if let fault {
            record.outcome = "error:\(fault.status ?? 500)"
            return SandboxResponse.llmFault(fault)
        }
        guard !key.isEmpty, state.configuration.llmAPIKey.map({ $0 == key }) ?? true else {
            record.outcome = "error:401"
            return SandboxResponse.llmError(
                status: 401,
                message: key.isEmpty ? "You didn't provide an API key." : "Incorrect API key provided.",
                code: key.isEmpty ? nil : "invalid_api_key")
        }
        guard let body = JSONValue.parse(input.body, filter: Self.requestFilter),
            case .array(let messages) = body["messages"] ?? .null,
            !messages.isEmpty
        else {
            record.outcome = "error:400"
            return SandboxResponse.llmError(status: 400, message: "'messages' is a required property")
        }
        let model = body["model"]?.stringValue ?? "gpt-4o-mini"
        let tools = (body["tools"]?.arrayValue ?? []).compactMap { $0["function"]?["name"]?.stringValue }
        record.model = model
        record.messageCount = messages.count
        record.tools = tools
        record.system = messages.first { $0["role"]?.stringValue == "system" }.flatMap { Self.text(of: $0) }
        record.lastRole = messages.last?["role"]?.stringValue
        record.lastUser = messages.last { $0["role"]?.stringValue == "user" }.flatMap { Self.text(of: $0) }

        let choice = body["tool_choice"]
        let toolsAllowed = choice?.stringValue != "none"
        var call: (name: String, arguments: String)?
        var reply: String?
        if record.lastRole == "tool" {
            let results = messages.reversed().prefix { $0["role"]?.stringValue == "tool" }.reversed()
                .compactMap { Self.text(of: $0) }
            reply = Self.replyPrefix + "here is what I found: " + String(results.joined(separator: "; ").prefix(300))
        } else {
            let userText = record.lastUser ?? ""
            let lower = userText.lowercased()
            if toolsAllowed, tools.contains("handover_to_human"), lower.contains("human") {
                call = ("handover_to_human", #"{"reason":"customer asked for a human"}"#)
            } else if toolsAllowed, tools.contains("search_products"), let range = lower.range(of: "price of ") {
                let product = userText[range.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
                    .trimmingCharacters(in: CharacterSet(charactersIn: "?!.,"))
                call = ("search_products", Self.jsonString(["query": product]))
            } else if toolsAllowed, let named = Self.namedToolCall(userText, offered: tools) {
                call = named
            } else if let forced = choice?["function"]?["name"]?.stringValue, tools.contains(forced) {
                call = (forced, Self.jsonString(["query": userText]))
            } else if choice?.stringValue == "required", let first = tools.first {
                call = (first, Self.jsonString(["query": userText]))
            } else if lower.contains("long answer") {
                reply = Self.replyPrefix + String(repeating: "This is a very long answer. ", count: 90)
            } else {
                reply = Self.replyPrefix + "you said \"\(userText.prefix(80))\""
            }
        }
        let id = state.nextCompletionID()
        var message: [String: JSONValue] = [
            "role": .string("assistant"), "content": reply.map { .string($0) } ?? .null,
        ]
        if let call {
            message["tool_calls"] = .array([
                .object([
                    "id": .string("call_" + id.dropFirst("chatcmpl-".count)), "type": .string("function"),
                    "function": .object(["name": .string(call.name), "arguments": .string(call.arguments)]),
                ])
            ])
            record.outcome = "tool_calls"
            record.toolCalled = call.name
        } else {
            record.outcome = "stop"
            record.reply = reply
        }
        let promptTokens = messages.reduce(0) { $0 + (Self.text(of: $1)?.count ?? 0) / 4 + 4 }
        let completionTokens = max(1, (reply?.count ?? 20) / 4)
        return SandboxResponse.object([
            "id": .string(id), "object": .string("chat.completion"),
            "created": .number(Double(SandboxState.nowMs() / 1000)), "model": .string(model),
            "system_fingerprint": .string("fp_sandbox"),
            "choices": .array([
                .object([
                    "index": .number(0), "message": .object(message), "logprobs": .null,
                    "finish_reason": .string(call == nil ? "stop" : "tool_calls"),
                ])
            ]),
            "usage": .object([
                "prompt_tokens": .number(Double(promptTokens)), "completion_tokens": .number(Double(completionTokens)),
                "total_tokens": .number(Double(promptTokens + completionTokens)),
            ]),
        ])
    }

    /// The parts of a chat-completions request ``answer(input:key:fault:record:)`` reads; the rest (tool schemas,
    /// tool calls, unknown members) is validated but not built.
    static let requestFilter = JSONParser.Filter.members([
        "messages": .members(["role": .all, "content": .all]),
        "model": .all,
        "tools": .members(["function": .members(["name": .all])]),
        "tool_choice": .all,
    ])

    /// A message's text: `content` as a string, or the `text` parts of a content array.
    static func text(of message: JSONValue) -> String? {
        switch message["content"] {
        case .string(let text): return text
        case .array(let parts): return parts.compactMap { $0["text"]?.stringValue }.joined(separator: " ")
        default: return nil
        }
    }

    static func jsonString(_ object: [String: String]) -> String {
        JSONWriter.string(.object(object.mapValues { .string($0) }))
    }
}
