import Billing
import Foundation
import Logging
import Meta
import Postgres
import Store
import Synchronization

/// The process-message job: routes one normalized webhook event to its tenant and answers it at most once.
///
/// Steps for a customer message: one statement routes the account to its tenant, stores the customer, the
/// conversation and the message (idempotent by `mid`) and reads the persona, the history, the reply ledger and the
/// sealed token → takeover and tier checks → metering (atomic, replay-safe) → assistant with the tier's tools →
/// one statement claims the send (pending rows keyed by the inbound `mid`) and re-reads the sealed token → Graph
/// send with the token opened only for the call → record the outcome and the returned message ids. Three
/// PostgreSQL round trips and one Redis round trip per answered message, besides the job engine's batched
/// fetch and acknowledgement. Echoes, deletions, reactions and read receipts are
/// recorded and never answered.
///
/// **Send once.** Every part of a reply is recorded `pending` under `reply:<inbound mid>:<n>` before the first
/// Graph call, and completed with Meta's `message_id` (or `failed`) after it. Meta answering with an error means
/// nothing was delivered: the part is `failed` and a retry sends it again. No answer at all (timeout, dropped
/// connection, a worker killed between the claim and the record) leaves it `pending`: the message may or may not
/// have been delivered. The first echo whose text equals such a part resolves it to `sent`. A re-run that finds a
/// `pending` part retries later while the part is younger than ``MessagingSettings/inFlightWindowSeconds`` (waiting
/// for that echo); after that it asks Meta's Conversations API what was delivered: a part found there (a message
/// from the business account with its text, dated at or after the claim) is marked `sent` with that id, and a part
/// not found is sent now (`woodstock.messaging.reconciled`). A failed lookup is retried; only where the platform
/// refuses the lookup for good does the part stay in doubt (`send_in_doubt`, not resent: a missing reply is better
/// than a double one).
///
/// Thread-safe; one instance serves every worker task.
final class MessageProcessor: Sendable {
    let dependencies: MessagingDependencies
    let ledger: SendLedger
    let intake: InboundIntakeRepository
    let humanRequests = HumanRequestDetector()
    /// Per-step durations (`woodstock.messaging.stage`).
    let stages = MessagingStageTimers()
    /// Customers whose profile lookup was already attempted by this process (a failed lookup is not repeated).
    let profileAttempts = Mutex<Set<String>>([])

    init(dependencies: MessagingDependencies) {
        self.dependencies = dependencies
        ledger = SendLedger(pool: dependencies.pool)
        intake = InboundIntakeRepository(pool: dependencies.pool)
    }

    var repositories: Repositories { dependencies.repositories }
    var metrics: MessagingMetrics { dependencies.metrics }

    /// Processes one event.
    /// - Parameters:
    ///   - event: The normalized webhook event (the job payload).
    ///   - attempt: The job's run number (1 = first).
    ///   - logger: The job's logger.
    /// - Returns: What was done.
    /// - Throws: ``MessagingError`` with a retryable code for transient trouble (the engine retries with
    ///   backoff); storage errors as they are (retried too). Permanent outcomes are returned, not thrown.
    func process(_ event: WebhookEvent, attempt: Int = 1, logger base: Logger) async throws -> ProcessOutcome {
        var logger = base
        logger[metadataKey: "message.mid"] = "\(event.mid ?? event.id)"
        logger[metadataKey: "event.kind"] = "\(event.kind)"
        guard let platform = MessageScope.storePlatform(event.platform) else {
            logger.debug("event for an unsupported platform dropped")
            return .notAnswered(.notAnswerable)
        }
        if event.kind == .postback || (event.kind == .message && !event.isDeleted && !event.isEcho) {
            // The hot path: routing, storing and reading the context are one statement.
            return try await handleInbound(event, platform: platform, attempt: attempt, logger: logger)
        }
        guard
            let route = try await repositories.crossTenant.routeForAccount(
                platform: platform, accountID: event.accountID)
        else {
            return try await dropUnknownAccount(event, platform: platform, logger: logger)
        }
        let scope = MessageScope(route: route, platform: platform, accountID: event.accountID, attempt: attempt)
        logger[metadataKey: "tenant.id"] = "\(scope.tenantID)"
        switch event.kind {
        case .message where event.isDeleted:
            try await repositories.messages.markDeleted(mid: event.mid ?? event.id, tenantID: scope.tenantID)
            metrics.skipped(platform: scope.platformName, .notAnswerable)
            logger.info("message deleted by the customer")
            return .deleted
        case .message where event.isEcho:
            return try await handleEcho(event, scope: scope, logger: logger)
        case .reaction:
            return try await storeReaction(event, scope: scope, logger: logger)
        default:
            // Read receipts, referrals and kinds we do not know: nothing to answer.
            metrics.skipped(platform: scope.platformName, .notAnswerable)
            return .notAnswered(.notAnswerable)
        }
    }

    func dropUnknownAccount(
        _ event: WebhookEvent, platform: Store.Platform, logger: Logger
    ) async throws -> ProcessOutcome {
        try await repositories.audit.record(
            AuditEntry(
                actor: "system:process-message", tenantID: nil, action: "message.unknown_account",
                details: ["platform": platform.rawValue, "account.id": event.accountID, "event.id": event.id]))
        metrics.skipped(platform: platform.rawValue, .unknownAccount)
        logger.warning("event for an unknown account dropped", metadata: ["account.id": "\(event.accountID)"])
        return .notAnswered(.unknownAccount)
    }

    /// Stores a reaction (as an inbound row without text, keyed by the event id) so the inbox can show it.
    private func storeReaction(
        _ event: WebhookEvent, scope: MessageScope, logger: Logger
    ) async throws -> ProcessOutcome {
        let conversation = try await conversation(for: event, scope: scope)
        let details: [[String: String]] = [
            [
                "type": "reaction", "action": event.reactionAction ?? "react", "reaction": event.reaction ?? "",
                "target_mid": event.mid ?? "",
            ]
        ]
        _ = try await repositories.messages.insertInbound(
            tenantID: scope.tenantID, conversationID: conversation.id, mid: event.id, body: nil,
            attachments: try PostgresJSON(encoding: details))
        metrics.skipped(platform: scope.platformName, .notAnswerable)
        logger.debug("reaction stored")
        return .notAnswered(.notAnswerable)
    }

    /// The customer's conversation with the receiving account, created on first contact.
    func conversation(for event: WebhookEvent, scope: MessageScope) async throws -> Conversation {
        let user = try await repositories.users.upsert(
            tenantID: scope.tenantID, platform: scope.platform, platformUserID: event.customerID)
        return try await repositories.conversations.findOrCreate(
            tenantID: scope.tenantID, integrationID: scope.integrationID, userID: user.id)
    }
}
