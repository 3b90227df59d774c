import Billing
import Foundation
import Logging
import Meta
import Postgres
import Store
import Synchronization
import Vault

extension MessageProcessor {
    /// A customer's message or postback: store it, then answer it if nothing says otherwise.
    func handleInbound(_ event: WebhookEvent, scope: MessageScope, logger: Logger) async throws -> ProcessOutcome {
        let user = try await repositories.users.upsert(
            tenantID: scope.tenantID, platform: scope.platform, platformUserID: event.customerID)
        let conversation = try await repositories.conversations.findOrCreate(
            tenantID: scope.tenantID, integrationID: scope.integrationID, userID: user.id)
        let mid = event.mid ?? event.id
        let text = Self.text(of: event)
        // Idempotent by mid: a redelivery or a re-run stores nothing new and carries on (the send ledger
        // decides whether a reply still has to go out).
        _ = try await repositories.messages.insertInbound(
            tenantID: scope.tenantID, conversationID: conversation.id, mid: mid, body: text,
            attachments: try PostgresJSON(encoding: Self.attachmentRecords(of: event)))
        // Every customer message, story mentions and story replies included, opens the 24-hour window.
        try await repositories.conversations.recordCustomerMessage(
            at: Date(timeIntervalSince1970: Double(event.timestampMs) / 1000), tenantID: scope.tenantID,
            conversationID: conversation.id)
        if user.username == nil { await fetchProfile(of: user, scope: scope, logger: logger) }

        if let reason = reasonNotToAnswer(event, text: text, conversation: conversation, scope: scope) {
            metrics.skipped(platform: scope.platformName, reason)
            logger.info("message stored, not answered", metadata: ["reason": "\(reason.rawValue)"])
            return .notAnswered(reason)
        }
        if let previous = try await previousOutcome(inboundMID: mid, event: event, scope: scope, logger: logger) {
            return previous
        }
        if !scope.tier.hasFullToolSet, let text, humanRequests.asksForHuman(text) {
            return try await handOver(
                event, conversation: conversation, scope: scope, by: "customer_request", logger: logger)
        }
        let decision = try await dependencies.meter.checkAndCount(
            tenantID: scope.tenantID.description, tier: scope.tier, messageID: mid)
        await raiseUsageNotices(decision, scope: scope, logger: logger)
        guard decision.isAllowed else {
            metrics.skipped(platform: scope.platformName, .overLimit)
            logger.info("message stored, tenant over its monthly limit")
            return .notAnswered(.overLimit)
        }
        return try await answer(event, conversation: conversation, decision: decision, scope: scope, logger: logger)
    }

    /// Why this event gets no AI reply, or `nil` when it should get one.
    func reasonNotToAnswer(
        _ event: WebhookEvent, text: String?, conversation: Conversation, scope: MessageScope
    ) -> MessagingMetrics.SkipReason? {
        if !Self.isAnswerable(event, text: text) { return .notAnswerable }
        if conversation.isTakenOver { return .takenOver }
        if !scope.isActive { return .inactive }
        if !scope.tier.allows(scope.platform) { return .platformNotInTier }
        return nil
    }

    /// The text the assistant reads: the message text, a postback's title, or a short description of a
    /// story reply or mention.
    static func text(of event: WebhookEvent) -> String? {
        if let text = event.text, !text.isEmpty { return text }
        if event.kind == .postback { return event.postbackTitle ?? event.postbackPayload }
        return nil
    }

    /// Whether a reply makes sense: text, postbacks and story replies, yes; media only, story mentions
    /// without words, stickers and unsupported media, no (they are stored for the inbox).
    static func isAnswerable(_ event: WebhookEvent, text: String?) -> Bool {
        guard !event.isUnsupported else { return false }
        guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return false }
        return true
    }

    /// Attachments, story replies and referrals as stored in `chatbot_messages.attachments`.
    static func attachmentRecords(of event: WebhookEvent) -> [[String: String]] {
        var records = event.attachments.map { attachment -> [String: String] in
            var record = ["type": attachment.type]
            if let url = attachment.url { record["url"] = url }
            return record
        }
        if let story = event.replyToStoryID {
            var record = ["type": "story_reply", "story_id": story]
            if let url = event.replyToStoryURL { record["url"] = url }
            records.append(record)
        }
        if let reply = event.replyToMID { records.append(["type": "reply_to", "mid": reply]) }
        if let payload = event.quickReplyPayload { records.append(["type": "quick_reply", "payload": payload]) }
        if let payload = event.postbackPayload { records.append(["type": "postback", "payload": payload]) }
        if event.isUnsupported { records.append(["type": "unsupported"]) }
        return records
    }

    /// Looks up the customer's username once (best effort: a failure never blocks the reply).
    func fetchProfile(of user: PlatformUser, scope: MessageScope, logger: Logger) async {
        let key = "\(scope.tenantID)/\(user.id)"
        let isFirst = profileAttempts.withLock { attempts in
            if attempts.count > 100_000 { attempts.removeAll() }
            return attempts.insert(key).inserted
        }
        guard isFirst else { return }
        do {
            guard
                let token = try await dependencies.vault.accessToken(
                    tenantID: scope.tenantID, integrationID: scope.integrationID)
            else { return }
            let profile = try await dependencies.graph.profile(
                of: user.platformUserID, via: scope.account, token: token.revealed())
            try await repositories.users.setUsername(profile.username, tenantID: scope.tenantID, userID: user.id)
        } catch {
            logger.debug("profile lookup failed", metadata: ["error": "\(error)"])
        }
    }

    /// Raises the 80 % / 100 % notices this check crossed (once per period: only the crossing call sees them).
    func raiseUsageNotices(_ decision: MeterDecision, scope: MessageScope, logger: Logger) async {
        var kinds: [NoticeKind] = []
        if decision.crossed(percent: 80) { kinds.append(.usage80) }
        if decision.crossed(percent: 100) { kinds.append(.usage100) }
        for kind in kinds {
            await raise(kind, periodKey: decision.period.description, scope: scope, logger: logger)
        }
    }

    /// Raises one notice through the hook, or records it; failures are logged, never thrown.
    func raise(_ kind: NoticeKind, periodKey: String, scope: MessageScope, logger: Logger) async {
        do {
            if let notify = dependencies.notify {
                try await notify(scope.tenantID, kind, periodKey)
            } else {
                _ = try await repositories.notices.recordOnce(
                    kind: kind.rawValue, period: periodKey, tenantID: scope.tenantID)
            }
        } catch {
            logger.error(
                "could not raise a notice", metadata: ["notice.kind": "\(kind.rawValue)", "error": "\(error)"])
        }
    }
}
