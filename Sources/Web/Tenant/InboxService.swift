public import Foundation
public import Logging
public import Meta
public import Postgres
public import Store
public import Vault

/// The tenant's inbox: conversations and messages, take over / hand back, and replies a person writes, sent
/// through the Graph API — untagged within 24 hours of the customer's last message, with the `HUMAN_AGENT`
/// tag up to 7 days, refused after that. Every call is scoped by the tenant id of the caller's session: a
/// conversation id of another tenant is simply not found.
///
/// ```swift
/// let inbox = InboxService(pool: pool, repositories: repositories, vault: vault, graph: graph, logger: logger)
/// try await inbox.takeOver(tenantID: session.tenantID, conversationID: id, by: "owner@shop.example")
/// let outcome = try await inbox.reply("On my way!", tenantID: session.tenantID, conversationID: id, by: "owner@shop.example")
/// ```
/// Thread-safe; tokens are opened only for the Graph call and never logged.
public struct InboxService: Sendable {
    let repositories: Repositories
    let queries: InboxQueries
    let vault: Vault
    let graph: GraphClient
    let logger: Logger
    let clock: @Sendable () -> Date

    /// Creates the service.
    /// - Parameters:
    ///   - pool: the PostgreSQL pool (inbox queries).
    ///   - repositories: the tenant-scoped repositories.
    ///   - vault: opens the integration's token for a send.
    ///   - graph: the Graph API client.
    ///   - logger: ids only, never message text or tokens.
    ///   - clock: the current time (tests move it).
    public init(
        pool: PostgresPool, repositories: Repositories, vault: Vault, graph: GraphClient, logger: Logger,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.repositories = repositories
        self.queries = InboxQueries(pool: pool)
        self.vault = vault
        self.graph = graph
        self.logger = logger
        self.clock = clock
    }

    /// The tenant's conversations, most recently active first.
    /// - Throws: a `PostgresError`.
    public func conversations(tenantID: TenantID, limit: Int = 100) async throws -> [InboxQueries.Summary] {
        try await queries.conversations(tenantID: tenantID, limit: limit)
    }

    /// The tenant's conversation with its messages, or `nil` when it is not the tenant's.
    /// - Throws: a `PostgresError`.
    public func thread(tenantID: TenantID, conversationID: UUID, limit: Int = 200) async throws -> InboxThread? {
        guard
            let conversation = try await repositories.conversations.find(
                tenantID: tenantID, conversationID: conversationID),
            let customer = try await repositories.users.find(tenantID: tenantID, userID: conversation.userID)
        else { return nil }
        let messages = try await repositories.messages.history(
            tenantID: tenantID, conversationID: conversationID, limit: limit)
        return InboxThread(
            conversation: conversation, customer: customer, messages: messages,
            window: ReplyWindow.at(lastCustomerMessage: conversation.lastCustomerMessageAt, now: clock()))
    }

    /// A value that changes when anything the inbox shows changes (for live updates).
    /// - Throws: a `PostgresError`.
    public func fingerprint(tenantID: TenantID, conversationID: UUID?) async throws -> String {
        try await queries.fingerprint(tenantID: tenantID, conversationID: conversationID)
    }

    /// Takes the conversation over: the assistant stays silent until ``handBack(tenantID:conversationID:by:)``.
    /// Audited `conversation.taken_over`.
    /// - Throws: ``StoreError`` `.notFound` when the conversation is not the tenant's.
    public func takeOver(tenantID: TenantID, conversationID: UUID, by person: String) async throws {
        try await repositories.conversations.setTakenOver(
            by: person, tenantID: tenantID, conversationID: conversationID)
        try await audit(tenantID, person, "conversation.taken_over", ["conversation.id": "\(conversationID)"])
        logger.info(
            "conversation taken over", metadata: ["tenant.id": "\(tenantID)", "conversation.id": "\(conversationID)"])
    }

    /// Hands the conversation back to the assistant. Audited `conversation.handed_back`.
    /// - Throws: ``StoreError`` `.notFound` when the conversation is not the tenant's.
    public func handBack(tenantID: TenantID, conversationID: UUID, by person: String) async throws {
        try await repositories.conversations.setTakenOver(by: nil, tenantID: tenantID, conversationID: conversationID)
        try await audit(tenantID, person, "conversation.handed_back", ["conversation.id": "\(conversationID)"])
        logger.info(
            "conversation handed back", metadata: ["tenant.id": "\(tenantID)", "conversation.id": "\(conversationID)"])
    }

    /// Sends a reply a person wrote. The conversation must be taken over; within 24 hours of the customer's last
    /// message it goes out untagged, up to 7 days with the `HUMAN_AGENT` tag, after that it is refused. Each part
    /// (≤ 1000 bytes) is stored as a human (not AI) reply and the send is audited `conversation.human_reply`.
    /// - Parameters:
    ///   - text: the reply.
    ///   - tenantID: the session's tenant.
    ///   - conversationID: the conversation.
    ///   - person: who wrote it (the login's e-mail), for the audit log.
    /// - Returns: sent, or refused with a reason.
    /// - Throws: ``StoreError`` `.notFound` when the conversation is not the tenant's, or a store error.
    public func reply(
        _ text: String, tenantID: TenantID, conversationID: UUID, by person: String
    ) async throws -> HumanReplyOutcome {
        guard let thread = try await thread(tenantID: tenantID, conversationID: conversationID, limit: 1) else {
            throw StoreError(.notFound, message: "no conversation \(conversationID)")
        }
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let refusal = Self.precheck(text, thread) {
            return try await refused(refusal, tenantID, conversationID, person)
        }
        guard
            let integration = try await repositories.integrations.find(
                tenantID: tenantID, integrationID: thread.conversation.integrationID)
        else { throw StoreError(.notFound, message: "no integration for conversation \(conversationID)") }
        guard integration.status == .active,
            let token = try await vault.accessToken(tenantID: tenantID, integrationID: integration.id)
        else {
            return try await refused(
                .init(code: "needs_reauth", message: "This account must be reconnected before you can reply."),
                tenantID, conversationID, person)
        }
        let tagged = thread.window == .humanAgent
        let account = GraphAccount(
            platform: integration.platform == .facebook ? .facebook : .instagram,
            id: integration.accountID)
        let parts = MessageSplitter.split(text)
        let replyID = UUID().uuidString.lowercased()
        var sent = 0
        for (index, part) in parts.enumerated() {
            let stored = try await repositories.messages.recordOutbound(
                tenantID: tenantID, conversationID: conversationID, sendKey: "human:\(replyID):\(index)", body: part,
                isAI: false)
            do {
                let result = try await graph.sendText(
                    part, to: thread.customer.platformUserID, from: account, token: token.revealed(),
                    humanAgent: tagged)
                let mid = result.messageID.isEmpty ? "sent:\(stored.id)" : result.messageID
                try await repositories.messages.markSent(mid: mid, tenantID: tenantID, messageID: stored.id)
                sent += 1
            } catch let error as MetaError {
                if error.graph != nil || error.code != .transport {
                    try await repositories.messages.markSent(mid: nil, tenantID: tenantID, messageID: stored.id)
                }
                return try await refused(Self.refusal(for: error, sentParts: sent), tenantID, conversationID, person)
            }
        }
        try await audit(
            tenantID, person, "conversation.human_reply",
            ["conversation.id": "\(conversationID)", "parts": "\(sent)", "tag": tagged ? "HUMAN_AGENT" : "none"])
        logger.info(
            "human reply sent",
            metadata: ["tenant.id": "\(tenantID)", "conversation.id": "\(conversationID)", "reply.parts": "\(sent)"])
        return .sent(parts: sent, isTagged: tagged)
    }

    static func precheck(_ text: String, _ thread: InboxThread) -> HumanReplyOutcome.Refusal? {
        if text.isEmpty { return .init(code: "empty", message: "Write a reply first.") }
        if text.utf8.count > 4_000 {
            return .init(code: "too_long", message: "A reply can be at most 4,000 bytes (four messages).")
        }
        if !thread.conversation.isTakenOver {
            return .init(
                code: "not_taken_over",
                message: "Take the conversation over first, so the assistant does not answer at the same time.")
        }
        switch thread.window {
        case .closed: return .init(code: "window_closed", message: thread.window.explanation)
        case .noCustomerMessage: return .init(code: "no_customer_message", message: thread.window.explanation)
        case .standard, .humanAgent: return nil
        }
    }

    static func refusal(for error: MetaError, sentParts: Int) -> HumanReplyOutcome.Refusal {
        let prefix = sentParts > 0 ? "The first \(sentParts) part(s) were sent, then: " : ""
        let category = error.category
        if category == .outsideWindow {
            return .init(
                code: "window_closed",
                message: prefix + "Meta refused the reply: it is outside the allowed window.")
        }
        if category.needsReauthorization {
            return .init(code: "needs_reauth", message: prefix + "Meta rejected the account's token; reconnect it.")
        }
        if category.isRetryable || error.code == .transport {
            return .init(
                code: "meta_unavailable",
                message: prefix + "Meta did not accept the reply right now. Please try again in a minute.")
        }
        return .init(code: "meta_refused", message: prefix + "Meta refused the reply (\(category)).")
    }

    private func refused(
        _ refusal: HumanReplyOutcome.Refusal, _ tenantID: TenantID, _ conversationID: UUID, _ person: String
    ) async throws -> HumanReplyOutcome {
        try await audit(
            tenantID, person, "conversation.human_reply_refused",
            ["conversation.id": "\(conversationID)", "reason": refusal.code])
        logger.notice(
            "human reply refused",
            metadata: ["tenant.id": "\(tenantID)", "conversation.id": "\(conversationID)", "reason": "\(refusal.code)"])
        return .refused(refusal)
    }

    private func audit(_ tenantID: TenantID, _ person: String, _ action: String, _ details: [String: String])
        async throws
    {
        try await repositories.audit.record(
            AuditEntry(actor: "tenant:\(person)", tenantID: tenantID, action: action, details: details))
    }
}
