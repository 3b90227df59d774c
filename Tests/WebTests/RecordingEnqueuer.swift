import Meta
import Synchronization
import Web

/// A real in-memory ``WebhookEnqueuing``: keeps every call's events; can be told to fail.
final class RecordingEnqueuer: WebhookEnqueuing {
    private let calls = Mutex<[[WebhookEvent]]>([])
    let fails: Bool

    init(fails: Bool = false) { self.fails = fails }

    struct Failure: Error {}

    func enqueueMessages(_ events: [WebhookEvent]) async throws {
        if fails { throw Failure() }
        calls.withLock { $0.append(events) }
    }

    /// The events of every call, one array per call.
    var batches: [[WebhookEvent]] { calls.withLock { $0 } }
}

/// A fixed readiness answer, optionally slow.
struct FixedReadiness: ReadinessChecking {
    var statuses: [ReadinessStatus]
    var delay: Duration = .zero

    func checkReadiness() async -> [ReadinessStatus] {
        if delay > .zero { try? await Task.sleep(for: delay) }
        return statuses
    }
}
