public import Foundation

/// A job in a queue's dead set, with why it died.
public struct DeadJob: Sendable, Hashable, Codable {
    /// The job's ID.
    public var id: String
    /// The job type.
    public var name: String
    /// The queue whose dead set holds it.
    public var queue: String
    /// The fairness group, or `nil`.
    public var group: String?
    /// How many runs failed.
    public var attempts: Int
    /// When it was first enqueued.
    public var enqueuedAt: Date
    /// When it moved to the dead set.
    public var diedAt: Date
    /// The last error, or `nil` if none was recorded.
    public var lastError: String?
    /// The most recent failed attempts, oldest first.
    public var history: [JobAttempt]
    /// The JSON payload, as text (payloads carry IDs, never secrets).
    public var payloadJSON: String

    /// Creates a dead job record (the admin API does).
    public init(
        id: String, name: String, queue: String, group: String?, attempts: Int, enqueuedAt: Date, diedAt: Date,
        lastError: String?, history: [JobAttempt], payloadJSON: String
    ) {
        self.id = id
        self.name = name
        self.queue = queue
        self.group = group
        self.attempts = attempts
        self.enqueuedAt = enqueuedAt
        self.diedAt = diedAt
        self.lastError = lastError
        self.history = history
        self.payloadJSON = payloadJSON
    }
}
