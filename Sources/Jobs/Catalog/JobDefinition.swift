/// How one job type runs: its queue, priority, retries, timeout, uniqueness and group.
///
/// Loaded from the declarative files in `jobs/` (one per job type) by ``JobCatalog``, so an
/// operator can tune these values without rebuilding.
public struct JobDefinition: Sendable, Hashable {
    /// The job type's name, e.g. `process-message`; handlers are registered under the same name.
    public var name: String
    /// The queue its jobs are enqueued on, e.g. `messages` or `maintenance`.
    public var queue: String
    /// Higher runs first: a worker serving several queues fetches from higher-priority queues first.
    public var priority: Int
    /// Total runs allowed (the first run counts); after the last failure the job goes to the dead set.
    public var maxAttempts: Int
    /// Delay before each retry.
    public var backoff: Backoff
    /// A run that takes longer is cancelled and counted as a failure.
    public var timeout: Duration
    /// A template such as `{mid}` filled from the payload's top-level fields; `nil` means not unique.
    public var uniqueKeyTemplate: String? {
        didSet { compiledUniqueKey = uniqueKeyTemplate.flatMap { try? PayloadTemplate(parsing: $0) } }
    }
    /// How long a unique key blocks duplicates.
    public var uniqueFor: Duration
    /// A template such as `{tenant_id}` naming the fairness group; `nil` means no group.
    public var groupTemplate: String? {
        didSet { compiledGroup = groupTemplate.flatMap { try? PayloadTemplate(parsing: $0) } }
    }
    /// At most this many jobs of one group run at once across all workers; `nil` means no cap.
    public var groupConcurrency: Int?
    /// At most this many jobs of one group start per second across all workers; `nil` means no limit.
    public var groupRatePerSecond: Double?
    /// A one-line explanation for operators (the catalog file's `summary`); `nil` when the file has none.
    public var summary: String?
    /// ``uniqueKeyTemplate`` parsed once, kept in step with it (`nil` when absent or malformed).
    private(set) var compiledUniqueKey: PayloadTemplate?
    /// ``groupTemplate`` parsed once, kept in step with it (`nil` when absent or malformed).
    private(set) var compiledGroup: PayloadTemplate?

    /// Exponential backoff with jitter: `min(maximum, base * 2^(attempt-1))`, then scaled by a random
    /// factor in `1 - jitter ... 1 + jitter`.
    public struct Backoff: Sendable, Hashable {
        /// Delay before the first retry.
        public var base: Duration
        /// Upper bound for any delay.
        public var maximum: Duration
        /// Fraction of the delay randomised, 0 ... 1.
        public var jitter: Double

        /// Creates a backoff policy.
        public init(base: Duration, maximum: Duration, jitter: Double) {
            self.base = base
            self.maximum = maximum
            self.jitter = jitter
        }
    }

    /// Creates a definition; ``JobCatalog`` validates the values it loads from `jobs/`.
    public init(
        name: String,
        queue: String,
        priority: Int = 0,
        maxAttempts: Int = 5,
        backoff: Backoff = Backoff(base: .seconds(1), maximum: .seconds(600), jitter: 0.2),
        timeout: Duration = .seconds(60),
        uniqueKeyTemplate: String? = nil,
        uniqueFor: Duration = .seconds(86_400),
        groupTemplate: String? = nil,
        groupConcurrency: Int? = nil,
        groupRatePerSecond: Double? = nil,
        summary: String? = nil
    ) {
        self.name = name
        self.queue = queue
        self.priority = priority
        self.maxAttempts = maxAttempts
        self.backoff = backoff
        self.timeout = timeout
        self.uniqueKeyTemplate = uniqueKeyTemplate
        self.uniqueFor = uniqueFor
        self.groupTemplate = groupTemplate
        self.groupConcurrency = groupConcurrency
        self.groupRatePerSecond = groupRatePerSecond
        self.summary = summary
        self.compiledUniqueKey = uniqueKeyTemplate.flatMap { try? PayloadTemplate(parsing: $0) }
        self.compiledGroup = groupTemplate.flatMap { try? PayloadTemplate(parsing: $0) }
    }
}
