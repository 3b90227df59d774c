public import Foundation

/// A queue's counts, as `woodstock queues` shows them.
public struct QueueStats: Sendable, Hashable, Codable {
    /// The queue name.
    public var queue: String
    /// Jobs ready to run (summed over the first 1,000 groups).
    public var depth: Int
    /// Jobs leased by workers right now.
    public var running: Int
    /// Delayed jobs waiting for their run-at time.
    public var scheduled: Int
    /// Failed jobs waiting for their retry.
    public var retries: Int
    /// Jobs in the dead set.
    public var dead: Int
    /// Fairness groups with ready jobs.
    public var groups: Int
    /// `true` while the queue is paused.
    public var isPaused: Bool
    /// Age of the oldest ready job (first enqueue), `nil` when none is ready.
    public var oldestAge: TimeInterval?

    /// Creates stats (the admin API does).
    public init(
        queue: String, depth: Int, running: Int, scheduled: Int, retries: Int, dead: Int, groups: Int,
        isPaused: Bool, oldestAge: TimeInterval?
    ) {
        self.queue = queue
        self.depth = depth
        self.running = running
        self.scheduled = scheduled
        self.retries = retries
        self.dead = dead
        self.groups = groups
        self.isPaused = isPaused
        self.oldestAge = oldestAge
    }
}
