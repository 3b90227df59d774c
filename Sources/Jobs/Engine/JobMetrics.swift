import Metrics
import Synchronization

/// The engine's metrics, created once per (label, queue, job name) and reused.
///
/// Labels: `woodstock.jobs.enqueued|processed|failed|retried|dead` (counters),
/// `woodstock.jobs.run_time` and `woodstock.jobs.queue_wait` (timers), `woodstock.jobs.queue_depth` (gauge).
/// Dimensions: `queue` and `job` only.
final class JobMetrics: Sendable {
    static let shared = JobMetrics()

    private struct Key: Hashable {
        let label: String
        let queue: String
        let name: String
    }

    private let counters = Mutex<[Key: Counter]>([:])
    private let timers = Mutex<[Key: Metrics.Timer]>([:])
    private let gauges = Mutex<[String: Gauge]>([:])

    func enqueued(queue: String, name: String) { counter("woodstock.jobs.enqueued", queue, name).increment() }
    func processed(queue: String, name: String) { counter("woodstock.jobs.processed", queue, name).increment() }
    func failed(queue: String, name: String) { counter("woodstock.jobs.failed", queue, name).increment() }
    func retried(queue: String, name: String) { counter("woodstock.jobs.retried", queue, name).increment() }
    func dead(queue: String, name: String) { counter("woodstock.jobs.dead", queue, name).increment() }

    func runTime(queue: String, name: String, nanoseconds: Int64) {
        timer("woodstock.jobs.run_time", queue, name).recordNanoseconds(nanoseconds)
    }

    func queueWait(queue: String, name: String, nanoseconds: Int64) {
        timer("woodstock.jobs.queue_wait", queue, name).recordNanoseconds(max(0, nanoseconds))
    }

    func depth(queue: String, value: Int) {
        let gauge = gauges.withLock { gauges in
            if let gauge = gauges[queue] { return gauge }
            let gauge = Gauge(label: "woodstock.jobs.queue_depth", dimensions: [("queue", queue)])
            gauges[queue] = gauge
            return gauge
        }
        gauge.record(value)
    }

    private func counter(_ label: String, _ queue: String, _ name: String) -> Counter {
        let key = Key(label: label, queue: queue, name: name)
        return counters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(label: label, dimensions: [("queue", queue), ("job", name)])
            counters[key] = counter
            return counter
        }
    }

    private func timer(_ label: String, _ queue: String, _ name: String) -> Metrics.Timer {
        let key = Key(label: label, queue: queue, name: name)
        return timers.withLock { timers in
            if let timer = timers[key] { return timer }
            let timer = Metrics.Timer(label: label, dimensions: [("queue", queue), ("job", name)])
            timers[key] = timer
            return timer
        }
    }
}
