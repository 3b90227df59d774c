import Foundation
import Logging
import Meta
import Store

extension MessageProcessor {
    /// An echo: a message the business account sent. Ours → ignored; a person's (from the Instagram app)
    /// → stored and the conversation taken over, so the assistant stays quiet until the tenant hands it back.
    func handleEcho(_ event: WebhookEvent, scope: MessageScope, logger: Logger) async throws -> ProcessOutcome {
        guard let mid = event.mid else { return .notAnswered(.notAnswerable) }
        if try await ledger.outbound(tenantID: scope.tenantID, mid: mid) != nil {
            logger.debug("echo of our own reply")
            return .ownEcho
        }
        let conversation = try await conversation(for: event, scope: scope)
        let candidates = try await ledger.unresolved(tenantID: scope.tenantID, conversationID: conversation.id)
        if let text = event.text, let match = candidates.first(where: { $0.body == text }) {
            // Our send whose outcome was not (yet) recorded: Meta did deliver it.
            try await repositories.messages.markSent(mid: mid, tenantID: scope.tenantID, messageID: match.id)
            logger.info("echo resolved a send without a recorded outcome", metadata: ["send.key": "\(match.sendKey)"])
            return .ownEcho
        }
        let inFlight = candidates.contains {
            $0.state == .pending && $0.ageSeconds < dependencies.settings.inFlightWindowSeconds
        }
        if inFlight {
            throw MessagingError(
                .echoNotYetResolved, message: "echo \(mid) while a send to the same customer has no outcome yet")
        }
        let stored = try await repositories.messages.recordOutbound(
            tenantID: scope.tenantID, conversationID: conversation.id, sendKey: "echo:\(mid)", body: event.text ?? "",
            isAI: false)
        try await repositories.messages.markSent(mid: mid, tenantID: scope.tenantID, messageID: stored.id)
        if !conversation.isTakenOver {
            try await repositories.conversations.setTakenOver(
                by: "instagram_app", tenantID: scope.tenantID, conversationID: conversation.id)
            try await repositories.audit.record(
                AuditEntry(
                    actor: "system:process-message", tenantID: scope.tenantID, action: "conversation.taken_over",
                    details: ["conversation.id": "\(conversation.id)", "by": "instagram_app", "echo.mid": mid]))
            logger.info("a person replied from the app: conversation taken over")
        }
        metrics.skipped(platform: scope.platformName, .takenOver)
        return .humanTookOver
    }
}
