/// The result of parsing one webhook delivery: every event of every entry, in delivery order.
public struct WebhookBatch: Sendable, Equatable {
    /// The payload's `object` (`instagram`, `page`, ...); empty when absent.
    public var object: String
    /// One event per `entry[].messaging[]` item.
    public var events: [WebhookEvent]
    /// How many `entry[].changes[]` items (dashboard test events, comments) were ignored.
    public var ignoredChanges: Int
    /// How many `messaging[]` items were skipped because they lacked a sender or recipient id.
    public var skippedItems: Int

    /// Creates a batch.
    public init(object: String, events: [WebhookEvent], ignoredChanges: Int = 0, skippedItems: Int = 0) {
        self.object = object
        self.events = events
        self.ignoredChanges = ignoredChanges
        self.skippedItems = skippedItems
    }
}
