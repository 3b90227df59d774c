import Metrics
import Synchronization

/// The engine's metrics, created once per (queue, job name) and reused.
///
/// Labels: `woodstock.jobs.enqueued|processed|failed|retried|dead` (counters),
/// `woodstock.jobs.run_time` and `woodstock.jobs.queue_wait` (timers), `woodstock.jobs.queue_depth` (gauge).
/// Dimensions: `queue` and `job` only.
final class JobMetrics: Sendable {
    static let shared = JobMetrics()

    /// Every metric of one job type on one queue.
    final class Set: Sendable {
        let enqueued: Counter
        let processed: Counter
        let failed: Counter
        let retried: Counter
        let dead: Counter
        let runTime: Metrics.Timer
        let queueWait: Metrics.Timer

        init(queue: String, name: String) {
            let dimensions = [("queue", queue), ("job", name)]
            enqueued = Counter(label: "woodstock.jobs.enqueued", dimensions: dimensions)
            processed = Counter(label: "woodstock.jobs.processed", dimensions: dimensions)
            failed = Counter(label: "woodstock.jobs.failed", dimensions: dimensions)
            retried = Counter(label: "woodstock.jobs.retried", dimensions: dimensions)
            dead = Counter(label: "woodstock.jobs.dead", dimensions: dimensions)
            runTime = Metrics.Timer(label: "woodstock.jobs.run_time", dimensions: dimensions)
            queueWait = Metrics.Timer(label: "woodstock.jobs.queue_wait", dimensions: dimensions)
        }
    }

    private struct Key: Hashable {
        let queue: String
        let name: String
    }

    private let sets = Mutex<[Key: Set]>([:])
    private let gauges = Mutex<[String: Gauge]>([:])

    /// The metrics of one job type on one queue.
    func job(queue: String, name: String) -> Set {
        let key = Key(queue: queue, name: name)
        return sets.withLock { sets in
            if let set = sets[key] { return set }
            let set = Set(queue: queue, name: name)
            sets[key] = set
            return set
        }
    }

    func enqueued(queue: String, name: String) { job(queue: queue, name: name).enqueued.increment() }

    func depth(queue: String, value: Int) {
        let gauge = gauges.withLock { gauges in
            if let gauge = gauges[queue] { return gauge }
            let gauge = Gauge(label: "woodstock.jobs.queue_depth", dimensions: [("queue", queue)])
            gauges[queue] = gauge
            return gauge
        }
        gauge.record(value)
    }
}
