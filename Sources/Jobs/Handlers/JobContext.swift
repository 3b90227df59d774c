public import Foundation
public import Logging

/// What a handler knows about the run it is serving.
public struct JobContext: Sendable {
    /// The job's ID (stable across retries).
    public let jobID: String
    /// The job type.
    public let name: String
    /// The queue it was fetched from.
    public let queue: String
    /// The fairness group, or `nil` for none.
    public let group: String?
    /// This run's number: 1 for the first run.
    public let attempt: Int
    /// When the job was first enqueued.
    public let enqueuedAt: Date
    private let baseLogger: Logger

    /// A logger with `job.id`, `job.name` and `job.attempt` metadata (built on access, so jobs that
    /// never log do not pay for it).
    public var logger: Logger {
        var logger = baseLogger
        logger[metadataKey: "job.id"] = "\(jobID)"
        logger[metadataKey: "job.name"] = "\(name)"
        logger[metadataKey: "job.attempt"] = "\(attempt)"
        return logger
    }

    /// Creates a context (the worker does; tests may too); `logger` gets the job's metadata added.
    public init(
        jobID: String, name: String, queue: String, group: String?, attempt: Int, enqueuedAt: Date, logger: Logger
    ) {
        self.jobID = jobID
        self.name = name
        self.queue = queue
        self.group = group
        self.attempt = attempt
        self.enqueuedAt = enqueuedAt
        self.baseLogger = logger
    }
}
