import Billing
import Foundation
import Logging
import Meta
import Store
import Vault

extension MessageProcessor {
    /// Settles reply parts an earlier run claimed and left `pending` for longer than the in-flight window (it died
    /// between the claim and the record): asks the platform what was delivered instead of guessing.
    ///
    /// Instagram and Messenger: the Conversations API lists the conversation with the customer. A part whose text
    /// is there as a message not from the customer, created at or after the part was claimed (less
    /// ``MessagingSettings/lookupClockSkewSeconds``) and not yet recorded for another part, is marked `sent` with
    /// that message id and never sent again; the other parts are sent now (this job holds their claim) and
    /// recorded as usual. Webchat: the visitor's conversation stream is searched for the part's message id instead.
    ///
    /// A lookup that fails in a retryable way (rate limit, 5xx, timeout) throws a retryable error with Meta's
    /// retry advice and sends nothing; an invalid token takes the token-invalid path. Only where the API refuses the
    /// lookup for good (a permission the app lacks, e.g. Advanced Access) do the parts stay in doubt (`.sendInDoubt`).
    func reconcile(
        _ entries: [SendLedger.Entry], kind: MessagingMetrics.ReplyKind, to event: WebhookEvent,
        decision: MeterDecision?, scope: MessageScope, logger: Logger
    ) async throws -> ProcessOutcome {
        let delivered: [String: String]
        switch try await lookUpDeliveries(entries, to: event, decision: decision, scope: scope, logger: logger) {
        case .found(let found): delivered = found
        case .settled(let outcome): return outcome
        }
        var updated = entries
        for index in updated.indices where updated[index].state == .pending {
            guard let mid = delivered[updated[index].sendKey] else { continue }
            try await repositories.messages.markSent(mid: mid, tenantID: scope.tenantID, messageID: updated[index].id)
            updated[index].state = .sent
            updated[index].mid = mid
        }
        let resolved = delivered.count
        let remaining = updated.filter { $0.state != .sent }.count
        metrics.reconciled(platform: scope.platformName, .resolvedByLookup, parts: resolved)
        guard remaining > 0 else {
            // A warning like the resend below: both mean a run died mid-send, which operators want to see.
            logger.warning(
                "delivery lookup: the earlier run's reply was delivered", metadata: ["reply.parts": "\(resolved)"])
            return .resolvedByLookup(parts: resolved)
        }
        let pendingLeft = updated.filter { $0.state == .pending }.count
        logger.warning(
            "delivery lookup: sending the parts the platform does not have",
            metadata: ["reply.parts.resolved": "\(resolved)", "reply.parts.unsent": "\(pendingLeft)"])
        let outcome = try await send(updated, kind: kind, to: event, decision: decision, scope: scope, logger: logger)
        guard case .replied = outcome else { return outcome }
        metrics.reconciled(platform: scope.platformName, .resentAfterLookup, parts: pendingLeft)
        return .resentAfterLookup(parts: remaining)
    }

    /// What a delivery lookup found: the message ids of delivered parts by send key, or an outcome that ends the run.
    enum DeliveryLookup {
        case found([String: String])
        case settled(ProcessOutcome)
    }

    /// Asks the platform which `pending` parts were delivered.
    func lookUpDeliveries(
        _ entries: [SendLedger.Entry], to event: WebhookEvent, decision: MeterDecision?, scope: MessageScope,
        logger: Logger
    ) async throws -> DeliveryLookup {
        if scope.platform == .webchat {
            return .found(try await webchatDeliveries(entries, to: event, scope: scope, logger: logger))
        }
        guard let token = try await accessToken(.lookUp, scope: scope) else {
            // Whether the earlier run delivered anything is unknown: no refund.
            return .settled(
                try await tokenInvalid(scope: scope, decision: decision, anySent: true, event: event, logger: logger))
        }
        let messages: [ConversationMessage]
        do {
            messages = try await dependencies.graph.recentMessages(
                with: event.customerID, account: scope.account, token: token.revealed())
        } catch let error as MetaError {
            return .settled(
                try await lookupFailed(error, event: event, decision: decision, scope: scope, logger: logger))
        }
        return .found(try await match(entries, in: messages, customerID: event.customerID, scope: scope))
    }

    /// Pairs each `pending` part with the oldest unclaimed matching message of the business account.
    func match(
        _ entries: [SendLedger.Entry], in messages: [ConversationMessage], customerID: String, scope: MessageScope
    ) async throws -> [String: String] {
        let skew = dependencies.settings.lookupClockSkewSeconds
        let now = Date()
        var used = Set(entries.compactMap(\.mid))
        var found: [String: String] = [:]
        // A conversation has two participants: whatever the customer did not send, the business account did. This
        // does not depend on which of the account's ids (`user_id` or the `/me` id, META.md §6.6) `from` carries.
        let oldestFirst = messages.filter { !$0.senderID.isEmpty && $0.senderID != customerID }.reversed()
        for entry in entries where entry.state == .pending {
            let claimedAt = now.addingTimeInterval(-entry.ageSeconds - skew)
            for message in oldestFirst
            where message.text == entry.body && !used.contains(message.id)
                && (message.createdAt.map { $0 >= claimedAt } ?? true)
            {
                used.insert(message.id)
                // Recorded for another reply already (same text sent twice): not this part's delivery.
                if try await ledger.outbound(tenantID: scope.tenantID, mid: message.id) != nil { continue }
                found[entry.sendKey] = message.id
                break
            }
        }
        return found
    }

    /// A failed Conversations API call: token invalid → re-authorisation; retryable → throw; otherwise in doubt.
    func lookupFailed(
        _ error: MetaError, event: WebhookEvent, decision: MeterDecision?, scope: MessageScope, logger: Logger
    ) async throws -> ProcessOutcome {
        let category = error.category
        if category.needsReauthorization {
            return try await tokenInvalid(scope: scope, decision: decision, anySent: true, event: event, logger: logger)
        }
        if category.isRetryable {
            try Task.checkCancellation()
            metrics.failed(platform: scope.platformName, category == .rateLimited ? .rateLimited : .transient)
            metrics.reconciled(platform: scope.platformName, .lookupFailed, parts: 1)
            logger.warning("delivery lookup failed, will retry", metadata: ["error.category": "\(category)"])
            throw MessagingError(
                .retryableSendFailure,
                message: "conversations lookup: \(category) (\(error.graph.map { "\($0.code ?? 0)" } ?? "transport"))",
                retryAfter: error.retryAfter)
        }
        metrics.failed(platform: scope.platformName, .sendInDoubt)
        metrics.reconciled(platform: scope.platformName, .lookupUnavailable, parts: 1)
        logger.warning(
            "delivery lookup refused; an earlier run may have sent this reply, not resending",
            metadata: ["error.category": "\(category)"])
        return .sendInDoubt
    }

    /// Webchat: a part is delivered when the visitor's stream holds an event with its message id.
    func webchatDeliveries(
        _ entries: [SendLedger.Entry], to event: WebhookEvent, scope: MessageScope, logger: Logger
    ) async throws -> [String: String] {
        let channel = WebchatChannel(redis: dependencies.meter.redis)
        let published: [WebchatEvent]
        do {
            published = try await channel.events(
                tenantID: scope.tenantID.description, visitorID: event.customerID, after: nil)
        } catch {
            try Task.checkCancellation()
            metrics.reconciled(platform: scope.platformName, .lookupFailed, parts: 1)
            logger.warning("webchat delivery lookup failed, will retry", metadata: ["error": "\(error)"])
            throw MessagingError(.retryableSendFailure, message: "webchat delivery lookup failed")
        }
        var found: [String: String] = [:]
        for entry in entries where entry.state == .pending {
            let messageID = entry.id.uuidString.lowercased()
            if let match = published.first(where: { $0.messageID == messageID && $0.role == .assistant }) {
                found[entry.sendKey] = "webchat:\(match.id)"
            }
        }
        return found
    }
}
