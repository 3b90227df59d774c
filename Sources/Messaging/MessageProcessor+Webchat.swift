import Billing
import Foundation
import Logging
import Meta
import Store

extension MessageProcessor {
    /// The webchat "send": publishes each part not yet sent to the visitor's conversation stream (the browser
    /// gets it over Server-Sent Events) instead of calling the Graph API, and records it `sent`.
    ///
    /// Publishing is at-least-once: a Redis failure marks the part `failed` and the job is retried, which may
    /// publish it again with the same message id; the widget shows each message id once.
    func sendWebchat(
        _ entries: [SendLedger.Entry], kind: MessagingMetrics.ReplyKind, to event: WebhookEvent,
        scope: MessageScope, logger: Logger
    ) async throws -> ProcessOutcome {
        let channel = WebchatChannel(redis: dependencies.meter.redis)
        let messages = repositories.messages
        for entry in entries where entry.state != .sent {
            let reply = WebchatEvent(role: .assistant, text: entry.body, messageID: entry.id.uuidString.lowercased())
            do {
                let published = try await channel.publish(
                    reply, tenantID: scope.tenantID.description, visitorID: event.customerID)
                try await messages.markSent(
                    mid: "webchat:\(published.id)", tenantID: scope.tenantID, messageID: entry.id)
            } catch {
                try Task.checkCancellation()
                try await messages.markSent(mid: nil, tenantID: scope.tenantID, messageID: entry.id)
                metrics.failed(platform: scope.platformName, .transient)
                logger.warning("webchat publish failed, will retry", metadata: ["error": "\(error)"])
                throw MessagingError(.retryableSendFailure, message: "webchat publish failed")
            }
        }
        metrics.replied(platform: scope.platformName, kind)
        logger.info("webchat reply published", metadata: ["reply.kind": "\(kind.rawValue)"])
        return .replied(kind, parts: entries.count)
    }
}
