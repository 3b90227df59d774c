import Assistant
import Billing
import Foundation
import Logging
import Meta
import Store

extension MessageProcessor {
    /// The name of the assistant's hand-over tool.
    static let handoverTool = "handover_to_human"
    /// The name of the product-search tool.
    static let productSearchTool = "search_products"

    /// Asks the assistant and sends its reply (or the fallback, or the hand-over message).
    /// - Parameters:
    ///   - tenant: The tenant (its persona), as the intake read it.
    ///   - history: The conversation's recent messages, oldest first, the inbound one included.
    func answer(
        _ event: WebhookEvent, conversation: Conversation, tenant: Tenant?, history: [Message],
        decision: MeterDecision, scope: MessageScope, logger: Logger
    ) async throws -> ProcessOutcome {
        let chat = history.compactMap(Self.chatMessage)
        let persona = Self.persona(of: tenant)
        let builtIns = tools(for: scope)
        let tools =
            builtIns
            + (await dependencies.customTools?(scope.tenantID, scope.tier, conversation.id, builtIns.map(\.name)) ?? [])
        let text: String
        let kind: MessagingMetrics.ReplyKind
        do {
            let reply = try await stages.time(.assistant) {
                try await dependencies.assistant.reply(to: chat, persona: persona, tools: tools)
            }
            if reply.toolCalls.contains(where: { $0.name == Self.handoverTool && !$0.failed }) {
                return try await handOver(
                    event, conversation: conversation, scope: scope, by: "assistant", decision: decision,
                    logger: logger)
            }
            text = reply.text
            kind = .answered
        } catch let error as AssistantError
            where error.isRetryable && scope.attempt < dependencies.settings.assistantAttemptsBeforeFallback
        {
            metrics.failed(platform: scope.platformName, .assistantRetryable)
            logger.warning("assistant failed, will retry", metadata: ["error.code": "\(error.code)"])
            throw MessagingError(
                .retryableAssistantFailure, message: "assistant: \(error.code)", retryAfter: error.retryAfter)
        } catch let error as AssistantError {
            metrics.failed(platform: scope.platformName, .assistantFailed)
            logger.error("assistant failed for good, sending the fallback", metadata: ["error.code": "\(error.code)"])
            text = dependencies.settings.fallbackReply
            kind = .fallback
        }
        return try await deliver(
            text, kind: kind, isAI: true, to: event, conversation: conversation, decision: decision, scope: scope,
            logger: logger)
    }

    /// Marks the conversation taken over and tells the customer a person will reply.
    func handOver(
        _ event: WebhookEvent, conversation: Conversation, scope: MessageScope, by person: String,
        decision: MeterDecision? = nil, logger: Logger
    ) async throws -> ProcessOutcome {
        try await repositories.conversations.setTakenOver(
            by: person, tenantID: scope.tenantID, conversationID: conversation.id)
        try await repositories.audit.record(
            AuditEntry(
                actor: "system:process-message", tenantID: scope.tenantID, action: "conversation.handed_over",
                details: ["conversation.id": "\(conversation.id)", "by": person]))
        logger.info("conversation handed over to a person", metadata: ["by": "\(person)"])
        return try await deliver(
            dependencies.settings.handoverReply, kind: .handover, isAI: true, to: event, conversation: conversation,
            decision: decision, scope: scope, logger: logger)
    }

    /// The tools this tenant's tier allows: product search for everyone, hand-over for professional and up.
    func tools(for scope: MessageScope) -> [AssistantTool] {
        let tenantID = scope.tenantID
        let search = dependencies.productSearch ?? defaultProductSearch
        var tools = [
            AssistantTool(
                name: Self.productSearchTool,
                description: "Search the shop's products by name; returns matches with price.",
                parameters: [
                    "type": "object", "properties": ["query": ["type": "string", "description": "product name"]],
                    "required": ["query"],
                ]
            ) { arguments in
                try await search(tenantID, arguments["query"]?.stringValue ?? "")
            }
        ]
        if scope.tier.hasFullToolSet {
            tools.append(
                AssistantTool(
                    name: Self.handoverTool,
                    description: "Hand the conversation to a person on the team when the customer asks for one "
                        + "or you cannot help.",
                    parameters: [
                        "type": "object", "properties": ["reason": ["type": "string"]], "required": [],
                    ]
                ) { _ in "Handed over: a person from the team will reply to the customer." })
        }
        return tools
    }

    /// Searches the persona settings `product.<name>` = `<details>` entries: a product matches when its name holds
    /// the query ("mug" finds "blue mug") or the query holds its name (the model often passes the customer's
    /// phrase: "the Ethiopia Yirgacheffe beans" finds "Ethiopia Yirgacheffe"), ignoring case.
    var defaultProductSearch: ProductSearch {
        let tenants = repositories.tenants
        return { tenantID, query in
            let settings = try await tenants.find(tenantID)?.persona.settings ?? [:]
            let needle = query.lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
            let matches = settings.filter { key, _ in
                guard key.hasPrefix("product.") else { return false }
                let name = key.dropFirst("product.".count).lowercased()
                return needle.isEmpty || name.contains(needle) || (!name.isEmpty && needle.contains(name))
            }
            .sorted { $0.key < $1.key }
            .prefix(5)
            .map { "\($0.key.dropFirst("product.".count)): \($0.value)" }
            return matches.isEmpty ? "No product matches \"\(query)\"." : matches.joined(separator: "\n")
        }
    }

    /// The assistant persona from the tenant's stored persona: name, `tone`, `fact.*` settings, instructions.
    static func persona(of tenant: Tenant?) -> AssistantPersona {
        guard let tenant else { return AssistantPersona(businessName: "our shop") }
        let settings = tenant.persona.settings
        let facts = settings.filter { $0.key.hasPrefix("fact.") }.sorted { $0.key < $1.key }.map(\.value)
        return AssistantPersona(
            businessName: tenant.persona.name ?? tenant.name, tone: settings["tone"], facts: facts,
            instructions: tenant.persona.instructions)
    }

    /// A stored message as the assistant sees it; deleted and text-less messages are left out.
    static func chatMessage(_ message: Message) -> ChatMessage? {
        guard !message.isDeleted, let body = message.body, !body.isEmpty else { return nil }
        switch message.direction {
        case .inbound: return .user(body)
        case .outbound: return message.sendState == .failed ? nil : .assistant(body)
        }
    }
}
