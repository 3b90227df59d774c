public import Foundation

/// A queue's finished runs per minute over a recent window, recorded by the workers' acknowledgements.
public struct QueueThroughput: Sendable, Hashable {
    /// One minute's counts.
    public struct Minute: Sendable, Hashable {
        /// The minute's start.
        public var start: Date
        /// Jobs that succeeded.
        public var done: Int
        /// Runs that failed and were scheduled for a retry.
        public var failed: Int
        /// Jobs moved to the dead set.
        public var killed: Int
        /// Sum of the done jobs' latency (first enqueue to success), in milliseconds.
        public var latencyTotalMilliseconds: Int
        /// The longest latency among the done jobs, in milliseconds.
        public var latencyMaxMilliseconds: Int

        /// Creates a minute's counts.
        public init(
            start: Date, done: Int = 0, failed: Int = 0, killed: Int = 0, latencyTotalMilliseconds: Int = 0,
            latencyMaxMilliseconds: Int = 0
        ) {
            self.start = start
            self.done = done
            self.failed = failed
            self.killed = killed
            self.latencyTotalMilliseconds = latencyTotalMilliseconds
            self.latencyMaxMilliseconds = latencyMaxMilliseconds
        }

        /// The done jobs' mean latency in milliseconds, `nil` when none finished.
        public var latencyMeanMilliseconds: Double? {
            done > 0 ? Double(latencyTotalMilliseconds) / Double(done) : nil
        }
    }

    /// The queue.
    public var queue: String
    /// One entry per minute, oldest first, the last one being the current (partial) minute.
    public var minutes: [Minute]

    /// Creates a series.
    public init(queue: String, minutes: [Minute]) {
        self.queue = queue
        self.minutes = minutes
    }

    /// Jobs done over the whole window.
    public var done: Int { minutes.reduce(0) { $0 + $1.done } }
    /// Failed runs over the whole window.
    public var failed: Int { minutes.reduce(0) { $0 + $1.failed } }
    /// Jobs killed over the whole window.
    public var killed: Int { minutes.reduce(0) { $0 + $1.killed } }
    /// Mean latency of done jobs over the window, in milliseconds; `nil` when none finished.
    public var latencyMeanMilliseconds: Double? {
        let total = minutes.reduce(0) { $0 + $1.latencyTotalMilliseconds }
        return done > 0 ? Double(total) / Double(done) : nil
    }
    /// The longest latency over the window, in milliseconds.
    public var latencyMaxMilliseconds: Int { minutes.map(\.latencyMaxMilliseconds).max() ?? 0 }

    /// Adds several queues' series minute by minute (same window), for an all-queues chart.
    /// - Parameters:
    ///   - series: The series to add; all cover the same minutes.
    ///   - queue: The name of the sum (`all`).
    /// - Returns: The sum; maxima are the maximum of maxima.
    public static func sum(_ series: [QueueThroughput], as queue: String = "all") -> QueueThroughput {
        guard var total = series.first else { return QueueThroughput(queue: queue, minutes: []) }
        total.queue = queue
        for other in series.dropFirst() {
            for (index, minute) in other.minutes.enumerated() where index < total.minutes.count {
                total.minutes[index].done += minute.done
                total.minutes[index].failed += minute.failed
                total.minutes[index].killed += minute.killed
                total.minutes[index].latencyTotalMilliseconds += minute.latencyTotalMilliseconds
                total.minutes[index].latencyMaxMilliseconds = max(
                    total.minutes[index].latencyMaxMilliseconds, minute.latencyMaxMilliseconds)
            }
        }
        return total
    }
}
