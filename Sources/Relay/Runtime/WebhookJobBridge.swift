import Foundation
import Jobs
import Meta
import Web

/// Hands one verified webhook delivery to the job engine: one `process-message` job per event,
/// unique by the event's id (Meta's `mid`, or a stable id for reads and reactions) and grouped by the
/// receiving account, all in one batched enqueue (one Redis round trip per queue).
struct WebhookJobBridge: WebhookEnqueuing {
    let jobs: JobClient

    func enqueueMessages(_ events: [WebhookEvent]) async throws {
        guard !events.isEmpty else { return }
        let requests = events.map { event in
            JobRequest(
                name: "process-message", payloadJSON: event.jsonPayload(), uniqueKey: event.id,
                group: "\(event.platform.rawValue):\(event.accountID)")
        }
        _ = try await jobs.enqueue(batch: requests)
    }
}
