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
    ///
    /// One statement routes the account, upserts the customer and the conversation (opening the 24-hour window),
    /// stores the message (idempotent by `mid`) and reads the persona, the history, any reply an earlier run
    /// recorded and the sealed token. A first-contact profile lookup runs beside the answer, never before it.
    func handleInbound(
        _ event: WebhookEvent, platform: Store.Platform, attempt: Int, logger base: Logger
    ) async throws -> ProcessOutcome {
        let mid = event.mid ?? event.id
        let text = Self.text(of: event)
        let record = InboundRecord(
            platform: platform, accountID: event.accountID, customerID: event.customerID, mid: mid, body: text,
            attachmentsJSON: try PostgresJSON(encoding: Self.attachmentRecords(of: event)).bytes,
            sentAt: Date(timeIntervalSince1970: Double(event.timestampMs) / 1000))
        // Idempotent by mid: a redelivery or a re-run stores nothing new and carries on (the send ledger
        // decides whether a reply still has to go out).
        guard
            let intake = try await stages.time(
                .intake,
                {
                    try await intake.record(
                        record, historyLimit: dependencies.settings.historyLimit,
                        replyKeys: SendLedger.replyKeys(mid: mid, parts: ledgerPartsLimit))
                })
        else {
            return try await dropUnknownAccount(event, platform: platform, logger: base)
        }
        let scope = MessageScope(route: intake.route, platform: platform, accountID: event.accountID, attempt: attempt)
        let logger = Self.logger(base, tenantID: scope.tenantID)
        guard intake.user.username == nil else {
            return try await respond(to: event, text: text, intake: intake, scope: scope, logger: logger)
        }
        let user = intake.user
        let sealed = intake.sealedToken
        let result = await withDiscardingTaskGroup(returning: Result<ProcessOutcome, any Error>.self) { group in
            group.addTask { await self.fetchProfile(of: user, sealed: sealed, scope: scope, logger: logger) }
            do {
                return .success(try await respond(to: event, text: text, intake: intake, scope: scope, logger: logger))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// `base` with the tenant's id in its metadata.
    static func logger(_ base: Logger, tenantID: TenantID) -> Logger {
        var logger = base
        logger[metadataKey: "tenant.id"] = "\(tenantID)"
        return logger
    }

    /// The reply ledger rows looked up per inbound message (more than any reply is split into).
    var ledgerPartsLimit: Int { max(16, dependencies.settings.maximumReplyParts) }

    /// Decides on and sends the answer to a stored inbound message.
    func respond(
        to event: WebhookEvent, text: String?, intake: InboundIntake, scope: MessageScope, logger: Logger
    ) async throws -> ProcessOutcome {
        let mid = event.mid ?? event.id
        if let reason = reasonNotToAnswer(event, text: text, conversation: intake.conversation, scope: scope) {
            metrics.skipped(platform: scope.platformName, reason)
            logger.info("message stored, not answered", metadata: ["reason": "\(reason.rawValue)"])
            return .notAnswered(reason)
        }
        if !intake.replyParts.isEmpty {
            return try await resume(
                intake.replyParts, kind: .answered, to: event, decision: nil, scope: scope, logger: logger)
        }
        if !scope.tier.hasFullToolSet, let text, humanRequests.asksForHuman(text) {
            return try await handOver(
                event, conversation: intake.conversation, scope: scope, by: "customer_request", logger: logger)
        }
        let decision = try await stages.time(.meter) {
            try await dependencies.meter.checkAndCount(
                tenantID: scope.tenantID.description, tier: scope.tier, messageID: mid)
        }
        await raiseUsageNotices(decision, scope: scope, logger: logger)
        guard decision.isAllowed else {
            metrics.skipped(platform: scope.platformName, .overLimit)
            logger.info("message stored, tenant over its monthly limit")
            return .notAnswered(.overLimit)
        }
        return try await answer(
            event, conversation: intake.conversation, tenant: intake.tenant, history: intake.history,
            decision: decision, scope: scope, logger: logger)
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
    /// - Parameter sealed: The integration's sealed token as the intake read it (`nil`: none stored, no lookup).
    func fetchProfile(of user: PlatformUser, sealed: SealedToken?, scope: MessageScope, logger: Logger) async {
        let key = "\(scope.tenantID)/\(user.id)"
        let isFirst = profileAttempts.withLock { attempts in
            if attempts.count > 100_000 { attempts.removeAll() }
            return attempts.insert(key).inserted
        }
        guard isFirst, let sealed, scope.platform != .webchat else { return }
        do {
            try await stages.time(.profile) {
                let token = try await dependencies.vault.open(
                    sealed, tenantID: scope.tenantID, integrationID: scope.integrationID)
                let profile = try await dependencies.graph.profile(
                    of: user.platformUserID, via: scope.account, token: token.revealed())
                try await repositories.users.setUsername(profile.username, tenantID: scope.tenantID, userID: user.id)
            }
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
