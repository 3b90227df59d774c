public import Logging

/// Answers a conversation with the tenant's persona, letting the model call the caller's tools in a bounded loop.
///
/// ```swift
/// let assistant = Assistant(client: ChatCompletionsClient(http: http, configuration: config, logger: logger),
///                           logger: logger)
/// let reply = try await assistant.reply(to: history, persona: persona, tools: [searchProducts, handover])
/// // reply.text fits `configuration.maxReplyBytes`; reply.toolCalls says whether handover_to_human ran.
/// ```
///
/// The loop makes at most `maxRounds` completion calls. Tool-call arguments are parsed defensively: invalid JSON,
/// a non-object, an unknown tool or a throwing handler each become the tool's result text (`error: …`) so the
/// model can recover; nothing of that is thrown. The last round is sent with `tool_choice: "none"`, so the model
/// has to answer in words; if it still calls tools, ``AssistantError/Code/toolLoopExceeded`` is thrown.
public struct Assistant: Sendable {
    /// The completions client (its configuration holds model, limits and the reply cap).
    public let client: ChatCompletionsClient
    private let logger: Logger

    /// Longest tool result passed back to the model, in characters.
    public static let maxToolResultCharacters = 4000

    /// Creates an assistant.
    /// - Parameters:
    ///   - client: the completions client.
    ///   - logger: debug lines (rounds, tool names); never message text.
    public init(client: ChatCompletionsClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Produces the reply to the last message of `history`.
    /// - Parameters:
    ///   - history: the conversation so far, oldest first, without a system message.
    ///   - persona: the tenant's persona (becomes the system prompt).
    ///   - tools: the tools allowed for this tenant; may be empty.
    /// - Returns: the reply text (trimmed to the cap), the tools that ran, and token usage.
    /// - Throws: ``AssistantError`` from the API (check ``AssistantError/isRetryable``), `.toolLoopExceeded`,
    ///   `.malformedResponse` for an empty answer; `CancellationError` when cancelled.
    public func reply(
        to history: [ChatMessage], persona: Persona, tools: [AssistantTool] = []
    ) async throws -> AssistantReply {
        let configuration = client.configuration
        var messages = [ChatMessage.system(persona.systemPrompt(toolNames: tools.map(\.name)))] + history
        var invocations: [ToolInvocation] = []
        var usage = TokenUsage(promptTokens: 0, completionTokens: 0, totalTokens: 0)
        for round in 1...configuration.maxRounds {
            try Task.checkCancellation()
            let isLastRound = round == configuration.maxRounds
            let request = ChatCompletionRequest(
                model: configuration.model, messages: messages, temperature: configuration.temperature,
                maxTokens: configuration.maxTokens, tools: tools.isEmpty ? nil : tools.map(\.definition),
                toolChoice: tools.isEmpty ? nil : (isLastRound && round > 1 ? "none" : "auto"))
            let response = try await client.complete(request)
            guard let choice = response.choices.first else {
                throw AssistantError(.malformedResponse, message: "chat completions: no choices")
            }
            if let counts = response.usage {
                usage = TokenUsage(
                    promptTokens: usage.promptTokens + counts.promptTokens,
                    completionTokens: usage.completionTokens + counts.completionTokens,
                    totalTokens: usage.totalTokens + counts.totalTokens)
            }
            if let calls = choice.message.toolCalls, !calls.isEmpty {
                guard !isLastRound else {
                    throw AssistantError(
                        .toolLoopExceeded, message: "assistant: still calling tools after \(round) rounds")
                }
                messages.append(choice.message)
                for call in calls {
                    let invocation = await run(call, tools: tools)
                    logger.debug(
                        "tool called",
                        metadata: [
                            "tool.name": "\(call.name)", "tool.failed": "\(invocation.failed)", "round": "\(round)",
                        ])
                    invocations.append(invocation)
                    messages.append(.tool(id: call.id, result: invocation.result))
                }
                continue
            }
            let text = (choice.message.content ?? "").trimmingWhitespace
            guard !text.isEmpty else {
                throw AssistantError(
                    .malformedResponse,
                    message: "chat completions: empty reply (finish_reason \(choice.finishReason ?? "none"))")
            }
            let trimmed = ReplyTrimmer.trim(text, maxBytes: configuration.maxReplyBytes)
            return AssistantReply(
                text: trimmed, rounds: round, toolCalls: invocations, usage: usage, finishReason: choice.finishReason,
                wasTrimmed: trimmed != text)
        }
        throw AssistantError(.toolLoopExceeded, message: "assistant: no reply within the round limit")
    }

    private func run(_ call: ToolCall, tools: [AssistantTool]) async -> ToolInvocation {
        guard let tool = tools.first(where: { $0.name == call.name }) else {
            return ToolInvocation(
                name: call.name, arguments: call.arguments, result: "error: unknown tool \(call.name)", failed: true)
        }
        let arguments: JSONValue
        do {
            arguments = try JSONValue.parse(call.arguments.isEmpty ? "{}" : call.arguments)
        } catch {
            return ToolInvocation(
                name: call.name, arguments: call.arguments,
                result: "error: the arguments are not valid JSON (\(Self.describe(error))); send a JSON object",
                failed: true)
        }
        guard case .object = arguments else {
            return ToolInvocation(
                name: call.name, arguments: call.arguments, result: "error: the arguments must be a JSON object",
                failed: true)
        }
        do {
            let result = try await AssistantTool.$currentCallID.withValue(call.id) { try await tool.handler(arguments) }
            return ToolInvocation(
                name: call.name, arguments: call.arguments,
                result: String(result.prefix(Self.maxToolResultCharacters)), failed: false)
        } catch {
            return ToolInvocation(
                name: call.name, arguments: call.arguments,
                result: "error: \(String(String(describing: error).prefix(300)))", failed: true)
        }
    }

    private static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return context.underlyingError.map { String(describing: $0).prefix(120) }.map(String.init)
                ?? context.debugDescription
        }
        return String(String(describing: error).prefix(120))
    }
}

/// The assistant's answer and what it took to get there.
public struct AssistantReply: Sendable {
    /// The reply text, at most `maxReplyBytes` UTF-8 bytes.
    public let text: String
    /// How many completion calls were made.
    public let rounds: Int
    /// The tools that ran, in order.
    public let toolCalls: [ToolInvocation]
    /// Tokens used over all rounds.
    public let usage: TokenUsage
    /// The final `finish_reason` (`stop`, `length`, `content_filter`).
    public let finishReason: String?
    /// Whether the text was cut to fit the cap.
    public let wasTrimmed: Bool
}

/// One tool call the model made and what it returned.
public struct ToolInvocation: Sendable, Hashable {
    /// The tool name.
    public let name: String
    /// The raw arguments text.
    public let arguments: String
    /// The result given back to the model.
    public let result: String
    /// Whether the call failed (unknown tool, bad arguments, handler error).
    public let failed: Bool
}

extension String {
    var trimmingWhitespace: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }
}
