import Billing
import Foundation
import Logging
import Meta
import Store
import Vault

extension MessageProcessor {
    /// Splits `text`, claims the parts in the send ledger and sends them, unless an earlier run claimed them.
    func deliver(
        _ text: String, kind: MessagingMetrics.ReplyKind, isAI: Bool, to event: WebhookEvent,
        conversation: Conversation, decision: MeterDecision?, scope: MessageScope, logger: Logger
    ) async throws -> ProcessOutcome {
        let parts = Array(MessageSplitter.split(text).prefix(dependencies.settings.maximumReplyParts))
        guard !parts.isEmpty else { return .notAnswered(.notAnswerable) }
        let claim = try await stages.time(.claim) {
            try await ledger.claimReply(
                tenantID: scope.tenantID, integrationID: scope.integrationID, conversationID: conversation.id,
                inboundMID: event.mid ?? event.id, parts: parts, isAI: isAI, lookupParts: ledgerPartsLimit)
        }
        if claim.entries.isEmpty {
            // Another run claimed this reply a moment ago (its rows are not in this statement's snapshot).
            throw MessagingError(.retryableSendFailure, message: "reply claimed by a concurrent run")
        }
        if !claim.created {
            return try await resume(
                claim.entries, kind: kind, to: event, decision: decision, scope: scope, logger: logger)
        }
        return try await send(
            claim.entries, kind: kind, to: event, decision: decision, scope: scope,
            token: .read(claim.sealedToken), logger: logger)
    }

    /// Continues from recorded parts: all sent → done; a `pending` part younger than the in-flight window →
    /// retry later (its echo may still resolve it); an older `pending` part → ask the platform what was delivered
    /// (``reconcile(_:kind:to:decision:scope:logger:)``); otherwise the `failed` parts (Meta refused them, nothing
    /// was delivered) are sent again.
    func resume(
        _ entries: [SendLedger.Entry], kind: MessagingMetrics.ReplyKind, to event: WebhookEvent,
        decision: MeterDecision?, scope: MessageScope, logger: Logger
    ) async throws -> ProcessOutcome {
        if entries.allSatisfy({ $0.state == .sent }) {
            metrics.skipped(platform: scope.platformName, .duplicate)
            logger.info("reply already sent by an earlier run")
            return .alreadyReplied
        }
        let pending = entries.filter { $0.state == .pending }
        let window = dependencies.settings.inFlightWindowSeconds
        if let youngest = pending.map(\.ageSeconds).min(), youngest < window {
            // Recently claimed and not completed: its echo may still come and resolve it. Look again when the
            // window ends (as Retry-After, so the wait spends one attempt, not the several a doubling backoff would
            // burn before the lookup).
            throw MessagingError(
                .retryableSendFailure, message: "send outcome not recorded yet; waiting for its echo",
                retryAfter: .milliseconds(Int64(((window - youngest) * 1000).rounded(.up)) + 1))
        }
        if !pending.isEmpty {
            return try await reconcile(entries, kind: kind, to: event, decision: decision, scope: scope, logger: logger)
        }
        return try await send(entries, kind: kind, to: event, decision: decision, scope: scope, logger: logger)
    }

    /// Sends the parts not yet sent, with the token opened only for these calls, and records each outcome.
    /// - Parameter token: The sealed token when the caller's statement already read it; `.lookUp` reads it.
    func send(
        _ entries: [SendLedger.Entry], kind: MessagingMetrics.ReplyKind, to event: WebhookEvent,
        decision: MeterDecision?, scope: MessageScope, token source: TokenSource = .lookUp, logger: Logger
    ) async throws -> ProcessOutcome {
        if scope.platform == .webchat {
            return try await sendWebchat(entries, kind: kind, to: event, scope: scope, logger: logger)
        }
        let messages = repositories.messages
        guard let token = try await accessToken(source, scope: scope) else {
            for entry in entries where entry.state != .sent {
                try await messages.markSent(mid: nil, tenantID: scope.tenantID, messageID: entry.id)
            }
            return try await tokenInvalid(
                scope: scope, decision: decision, anySent: false, event: event, logger: logger)
        }
        var anySent = entries.contains { $0.state == .sent }
        for entry in entries where entry.state != .sent {
            do {
                let sent = try await stages.time(.send) {
                    try await dependencies.graph.sendText(
                        entry.body, to: event.customerID, from: scope.account, token: token.revealed())
                }
                let mid = sent.messageID.isEmpty ? "sent:\(entry.id)" : sent.messageID
                try await stages.time(.record) {
                    try await messages.markSent(mid: mid, tenantID: scope.tenantID, messageID: entry.id)
                }
                anySent = true
            } catch let error as MetaError where error.graph == nil && error.code == .transport {
                // No answer from Meta (timeout, dropped connection, cancellation): it may have been delivered.
                // The part stays `pending`; a re-run waits for its echo and never sends it blindly again.
                try Task.checkCancellation()
                metrics.failed(platform: scope.platformName, .transient)
                logger.warning("send outcome unknown (no answer from Meta), will look again")
                throw MessagingError(.retryableSendFailure, message: "send: no answer from the Graph API")
            } catch let error as MetaError {
                // Meta answered with an error: nothing was delivered, so a retry may send this part again.
                try await messages.markSent(mid: nil, tenantID: scope.tenantID, messageID: entry.id)
                return try await sendFailed(
                    error, scope: scope, decision: decision, anySent: anySent, event: event, logger: logger)
            }
        }
        metrics.replied(platform: scope.platformName, kind)
        logger.info("reply sent", metadata: ["reply.kind": "\(kind.rawValue)", "reply.parts": "\(entries.count)"])
        return .replied(kind, parts: entries.count)
    }

    /// Where ``send(_:kind:to:decision:scope:token:logger:)`` gets the integration's token.
    enum TokenSource: Sendable {
        /// Read by the caller's statement (`nil`: none stored).
        case read(SealedToken?)
        /// Not read yet: ask the vault.
        case lookUp
    }

    /// The opened token, or `nil` when none is stored.
    func accessToken(_ source: TokenSource, scope: MessageScope) async throws -> Secret? {
        switch source {
        case .read(let sealed):
            guard let sealed else { return nil }
            return try await dependencies.vault.open(
                sealed, tenantID: scope.tenantID, integrationID: scope.integrationID)
        case .lookUp:
            return try await dependencies.vault.accessToken(
                tenantID: scope.tenantID, integrationID: scope.integrationID)
        }
    }

    /// Records a failed send and decides: retry (throw) or give up (return).
    func sendFailed(
        _ error: MetaError, scope: MessageScope, decision: MeterDecision?, anySent: Bool, event: WebhookEvent,
        logger: Logger
    ) async throws -> ProcessOutcome {
        let category = error.category
        if category.needsReauthorization {
            return try await tokenInvalid(
                scope: scope, decision: decision, anySent: anySent, event: event, logger: logger)
        }
        if category.isRetryable {
            let failure: MessagingMetrics.FailureClass = category == .rateLimited ? .rateLimited : .transient
            metrics.failed(platform: scope.platformName, failure)
            logger.warning("send failed, will retry", metadata: ["error.category": "\(category)"])
            throw MessagingError(
                .retryableSendFailure,
                message: "send: \(category) (\(error.graph.map { "\($0.code ?? 0)" } ?? "transport"))",
                retryAfter: error.retryAfter)
        }
        let failure: MessagingMetrics.FailureClass = category == .outsideWindow ? .outsideWindow : .permanent
        metrics.failed(platform: scope.platformName, failure)
        try await refundIfNothingSent(decision, anySent: anySent, scope: scope, event: event)
        try await repositories.audit.record(
            AuditEntry(
                actor: "system:process-message", tenantID: scope.tenantID, action: "message.send_failed",
                details: [
                    "integration.id": "\(scope.integrationID)", "mid": event.mid ?? event.id,
                    "category": "\(category)", "code": error.graph.flatMap { $0.code.map(String.init) } ?? "",
                ]))
        logger.warning("send failed for good", metadata: ["error.category": "\(category)"])
        return .sendFailed(failure)
    }

    /// Graph 190 (or no token stored): the integration needs re-authorisation; not retried.
    func tokenInvalid(
        scope: MessageScope, decision: MeterDecision?, anySent: Bool, event: WebhookEvent, logger: Logger
    ) async throws -> ProcessOutcome {
        metrics.failed(platform: scope.platformName, .tokenInvalid)
        try await refundIfNothingSent(decision, anySent: anySent, scope: scope, event: event)
        try await repositories.integrations.setStatus(
            .needsReauth, tenantID: scope.tenantID, integrationID: scope.integrationID,
            actor: "system:process-message")
        await raise(.needsReauth, periodKey: "integration:\(scope.integrationID)", scope: scope, logger: logger)
        logger.error("token rejected: integration needs re-authorisation")
        return .sendFailed(.tokenInvalid)
    }

    /// Gives the metered count back when no part of the reply reached the customer.
    func refundIfNothingSent(
        _ decision: MeterDecision?, anySent: Bool, scope: MessageScope, event: WebhookEvent
    ) async throws {
        guard let decision, decision.isAllowed, !anySent else { return }
        try await dependencies.meter.refund(
            tenantID: scope.tenantID.description, messageID: event.mid ?? event.id, period: decision.period)
    }
}
