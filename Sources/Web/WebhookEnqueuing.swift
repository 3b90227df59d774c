public import Meta

/// Hands a verified, parsed webhook delivery to the job engine.
///
/// The webhook route calls ``enqueueMessages(_:)`` exactly once per accepted delivery, with every event of every
/// entry, so an implementation can enqueue them all in one Redis round trip (one pipeline or Lua call), with
/// ``WebhookEvent/id`` as each job's unique key so redeliveries are dropped.
public protocol WebhookEnqueuing: Sendable {
    /// Enqueues one job per event.
    /// - Parameter events: the delivery's events, in delivery order; never empty.
    /// - Throws: any error; the route then answers a bare 500 so that Meta redelivers.
    func enqueueMessages(_ events: [WebhookEvent]) async throws
}
