import Metrics

/// The scheduler's counters, created once per crontab entry: `woodstock.scheduler.runs` with the
/// dimensions `job` and `outcome` (`enqueued`, `duplicate`, `failed`).
struct SchedulerMetrics: Sendable {
    private let counters: [String: [String: Counter]]

    init(jobNames: [String]) {
        var counters: [String: [String: Counter]] = [:]
        for job in jobNames {
            for outcome in ["enqueued", "duplicate", "failed"] {
                counters[job, default: [:]][outcome] = Counter(
                    label: "woodstock.scheduler.runs", dimensions: [("job", job), ("outcome", outcome)])
            }
        }
        self.counters = counters
    }

    /// Counts one entry's outcome at one tick.
    func record(_ outcome: Scheduler.Outcome, jobName: String) {
        let name =
            switch outcome {
            case .enqueued: "enqueued"
            case .duplicate: "duplicate"
            case .failed: "failed"
            }
        counters[jobName]?[name]?.increment()
    }
}
