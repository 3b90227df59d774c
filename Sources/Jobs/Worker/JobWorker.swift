public import Logging
public import Redis
public import ServiceLifecycle

/// Runs jobs: fetches leased batches from Redis, runs their handlers, acknowledges in batches.
///
/// A `Service`: run it in a `ServiceGroup`. Graceful shutdown stops fetching, lets running jobs finish
/// within ``JobWorkerConfiguration/shutdownGracePeriod``, then cancels the rest and hands them back to
/// their queue at once. Cancelling ``run()`` cancels running handlers and hands their jobs back.
///
/// ```swift
/// let worker = try JobWorker(redis: redis, catalog: catalog, registry: registry, logger: logger)
/// let group = ServiceGroup(services: [worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
/// try await group.run()
/// ```
public final class JobWorker: Service, Sendable {
    let redis: RedisClient
    let catalog: JobCatalog
    let registry: JobRegistry
    let configuration: JobWorkerConfiguration
    let logger: Logger
    /// The queues served, highest priority first.
    public let queues: [String]
    let state: WorkerState
    let wakeConnection: RedisDedicatedConnection
    let metrics = JobMetrics.shared

    /// Creates a worker and checks the handlers against the catalog.
    /// - Parameters:
    ///   - redis: The Redis client (the pool should hold a few connections).
    ///   - catalog: The job types.
    ///   - registry: The handlers; each catalog job needs one and each handler needs a catalog entry.
    ///   - configuration: Queues, concurrency, batch sizes, leases and shutdown.
    ///   - logger: Lifecycle at `info`, job failures at `warning`, dead jobs at `error`.
    /// - Throws: ``JobError`` `.invalidCatalog` naming handlers without definitions and the reverse,
    ///   or naming a configured queue that no job uses.
    public init(
        redis: RedisClient,
        catalog: JobCatalog,
        registry: JobRegistry,
        configuration: JobWorkerConfiguration = JobWorkerConfiguration(),
        logger: Logger
    ) throws {
        try catalog.validate(handlerNames: registry.handlerNames)
        let priorities = Dictionary(
            catalog.definitions.values.map { ($0.queue, $0.priority) },
            uniquingKeysWith: max
        )
        if let wanted = configuration.queues {
            let unknown = wanted.filter { priorities[$0] == nil }
            guard unknown.isEmpty else {
                throw JobError(.invalidCatalog, message: "no job uses queue(s): \(unknown.joined(separator: ", "))")
            }
        }
        let served = configuration.queues ?? Array(priorities.keys)
        self.queues = served.sorted { (priorities[$0] ?? 0, $1) > (priorities[$1] ?? 0, $0) }
        self.redis = redis
        self.catalog = catalog
        self.registry = registry
        self.configuration = configuration
        self.logger = logger
        self.state = WorkerState(concurrency: configuration.concurrency)
        self.wakeConnection = redis.makeDedicatedConnection()
    }

    /// Runs until graceful shutdown or cancellation, then hands back what is unfinished.
    /// - Throws: Only when the initial group-limit configuration cannot be written to Redis.
    public func run() async throws {
        try await writeGroupLimits()
        logger.info("job worker started", metadata: ["jobs.queues": "\(queues.joined(separator: ","))"])
        await withDiscardingTaskGroup { group in
            group.addTask { await self.acknowledgeLoop() }
            group.addTask { await self.maintenanceLoop() }
            await withGracefulShutdownHandler {
                await self.fetchLoop(&group)
            } onGracefulShutdown: {
                self.state.beginStopping()
                self.wakeConnection.close()
            }
            state.beginStopping()
            await drainOnShutdown()
            state.finishAcknowledging()
        }
        wakeConnection.close()
        logger.info("job worker stopped")
    }

    private func drainOnShutdown() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.state.waitUntilIdle() }
            group.addTask {
                try? await Task.sleep(for: self.configuration.shutdownGracePeriod)
                self.state.stopWaitingForIdle()
            }
            await group.next()
            group.cancelAll()
        }
        let handedBack = state.handBackRunning()
        if handedBack > 0 { logger.info("handed unfinished jobs back", metadata: ["jobs.count": "\(handedBack)"]) }
    }

    private func writeGroupLimits() async throws {
        var commands: [RedisCommand] = [RedisCommand("MULTI")]
        for queue in queues {
            let definitions = catalog.definitions.values.filter { $0.queue == queue }
            let keys = JobKeys(queue: queue)
            let caps = definitions.compactMap(\.groupConcurrency)
            let rates = definitions.compactMap(\.groupRatePerSecond)
            commands.append(RedisCommand("DEL", keys.config))
            if let cap = caps.min() { commands.append(RedisCommand("HSET", keys.config, "concurrency", cap)) }
            if let rate = rates.min() { commands.append(RedisCommand("HSET", keys.config, "rate", rate)) }
        }
        commands.append(RedisCommand("EXEC"))
        commands.append(RedisCommand("SADD", arguments: [JobKeys.queuesSet] + queues))
        let sent = commands
        _ = try await redis.withConnection { connection in try connection.pipeline(sent).map { try $0.get() } }
    }
}
