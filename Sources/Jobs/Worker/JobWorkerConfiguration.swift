/// How a ``JobWorker`` fetches, leases and shuts down. Defaults suit production.
public struct JobWorkerConfiguration: Sendable {
    /// The queues to serve; `nil` serves every queue of the catalog. Higher-priority queues are fetched first.
    public var queues: [String]?
    /// The most handlers running at once (default 100).
    public var concurrency: Int
    /// The most jobs one fetch leases (default 100).
    public var fetchBatchSize: Int
    /// How long a lease lasts without renewal (default 30 s); a killed worker's jobs run again after it.
    public var leaseDuration: Duration
    /// How often leases are renewed (default 10 s, must be well under ``leaseDuration``).
    public var heartbeatInterval: Duration
    /// How often expired leases are looked for (default 5 s).
    public var reapInterval: Duration
    /// The longest an idle worker blocks before looking again (default 1 s); an enqueue wakes it at once.
    public var idleWait: Duration
    /// How long in-flight jobs may finish after shutdown began (default 20 s); the rest are handed back.
    public var shutdownGracePeriod: Duration
    /// The dead set keeps at most this many jobs per queue (default 10,000).
    public var deadSetMaxCount: Int
    /// The dead set drops jobs older than this (default 90 days).
    public var deadSetMaxAge: Duration
    /// How many failed attempts a job's history keeps (default 10).
    public var historyLimit: Int

    /// Creates a configuration; every parameter has the default documented on its property.
    public init(
        queues: [String]? = nil,
        concurrency: Int = 100,
        fetchBatchSize: Int = 100,
        leaseDuration: Duration = .seconds(30),
        heartbeatInterval: Duration = .seconds(10),
        reapInterval: Duration = .seconds(5),
        idleWait: Duration = .seconds(1),
        shutdownGracePeriod: Duration = .seconds(20),
        deadSetMaxCount: Int = 10_000,
        deadSetMaxAge: Duration = .seconds(90 * 86_400),
        historyLimit: Int = 10
    ) {
        self.queues = queues
        self.concurrency = max(1, concurrency)
        self.fetchBatchSize = max(1, fetchBatchSize)
        self.leaseDuration = leaseDuration
        self.heartbeatInterval = heartbeatInterval
        self.reapInterval = reapInterval
        self.idleWait = idleWait
        self.shutdownGracePeriod = shutdownGracePeriod
        self.deadSetMaxCount = deadSetMaxCount
        self.deadSetMaxAge = deadSetMaxAge
        self.historyLimit = historyLimit
    }
}
