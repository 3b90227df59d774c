public import Foundation
public import Logging
public import Redis
import Synchronization

/// Enqueues jobs: the entry point every other module uses. One Redis round trip per call, batched or not.
///
/// Thread-safe and cheap to copy.
///
/// ```swift
/// let jobs = JobClient(redis: redis, catalog: catalog, logger: logger)
/// let outcome = try await jobs.enqueue(name: "process-message", payload: message, uniqueKey: message.mid)
/// if case .duplicate = outcome { logger.debug("duplicate webhook delivery") }
/// ```
public struct JobClient: Sendable {
    /// The Redis client jobs are stored with.
    public let redis: RedisClient
    /// The job types this client may enqueue.
    public let catalog: JobCatalog
    let logger: Logger
    private let metrics: JobMetrics
    private let knownQueues = KnownQueues()

    /// Creates a client.
    /// - Parameters:
    ///   - redis: The Redis client.
    ///   - catalog: The job types; enqueueing a name it lacks throws `.unknownJob`.
    ///   - logger: For debug logs (job IDs and names only).
    public init(redis: RedisClient, catalog: JobCatalog, logger: Logger) {
        self.redis = redis
        self.catalog = catalog
        self.logger = logger
        self.metrics = JobMetrics.shared
    }

    /// Enqueues one job.
    /// - Parameters:
    ///   - name: The job type.
    ///   - payload: Encoded as JSON.
    ///   - uniqueKey: Drops the job if the key was used within the definition's `uniqueFor`
    ///     (`nil`: the definition's template, if any).
    ///   - group: The fairness group (`nil`: the definition's template, if any).
    ///   - runAt: When to run it (`nil`: now).
    /// - Returns: `.enqueued(id:)` or `.duplicate`.
    /// - Throws: ``JobError`` `.unknownJob` / `.payloadEncoding`, or ``RedisError``.
    @discardableResult
    public func enqueue(
        name: String,
        payload: some Encodable,
        uniqueKey: String? = nil,
        group: String? = nil,
        runAt: Date? = nil
    ) async throws -> EnqueueOutcome {
        let request = try JobRequest(name: name, payload: payload, uniqueKey: uniqueKey, group: group, runAt: runAt)
        return try await enqueue(batch: [request])[0]
    }

    /// Enqueues one job from JSON bytes (the CLI's `woodstock enqueue JOB --payload JSON`).
    /// - Returns: `.enqueued(id:)` or `.duplicate`.
    /// - Throws: ``JobError`` `.unknownJob` / `.payloadEncoding`, or ``RedisError``.
    @discardableResult
    public func enqueue(
        name: String,
        payloadJSON: [UInt8],
        uniqueKey: String? = nil,
        group: String? = nil,
        runAt: Date? = nil
    ) async throws -> EnqueueOutcome {
        let request = JobRequest(name: name, payloadJSON: payloadJSON, uniqueKey: uniqueKey, group: group, runAt: runAt)
        return try await enqueue(batch: [request])[0]
    }

    /// Enqueues many jobs in one round trip (one script call per queue, pipelined).
    /// - Returns: One outcome per request, in order.
    /// - Throws: ``JobError`` before anything is sent when a request is invalid, or ``RedisError``.
    public func enqueue(batch: [JobRequest]) async throws -> [EnqueueOutcome] {
        guard !batch.isEmpty else { return [] }
        let now = Date()
        let nowMilliseconds = JobEnvelope.milliseconds(now)
        var perQueue: [String: [(index: Int, arguments: [[UInt8]])]] = [:]
        var queueOrder: [String] = []
        var ids: [String] = []
        var definitions: [JobDefinition] = []
        ids.reserveCapacity(batch.count)
        for (index, request) in batch.enumerated() {
            let definition = try catalog.definition(named: request.name)
            // Templates fill only what the caller left out, so an explicit key never needs the template's field.
            let group =
                try request.group ?? definition.renderGroup(payloadJSON: request.payloadJSON)
                ?? JobEnvelope.defaultGroup
            let uniqueKey = try request.uniqueKey ?? definition.renderUniqueKey(payloadJSON: request.payloadJSON) ?? ""
            guard JobEnvelope.isValidField(group), JobEnvelope.isValidField(uniqueKey), !group.isEmpty else {
                throw JobError(
                    .payloadEncoding, message: "\(request.name): group and unique key must not contain tab or newline")
            }
            let id = JobEnvelope.makeID()
            let envelope = JobEnvelope(
                id: id,
                name: request.name,
                group: group,
                enqueuedAtMilliseconds: nowMilliseconds,
                uniqueKey: uniqueKey,
                payload: request.payloadJSON
            )
            let runAt = request.runAt.map(JobEnvelope.milliseconds) ?? 0
            let ttl = max(1, Int64((request.uniqueFor ?? definition.uniqueFor).components.seconds) * 1000)
            let arguments: [[UInt8]] = [
                Array(group.utf8), envelope.encoded(), Array(String(runAt).utf8), Array(uniqueKey.utf8),
                Array(String(ttl).utf8),
            ]
            if perQueue[definition.queue] == nil { queueOrder.append(definition.queue) }
            perQueue[definition.queue, default: []].append((index, arguments))
            ids.append(id)
            definitions.append(definition)
        }
        var commands: [RedisCommand] = []
        var commandIndexes: [[Int]] = []
        let newQueues = knownQueues.unseen(queueOrder)
        for queue in queueOrder {
            let jobs = perQueue[queue] ?? []
            for start in stride(from: 0, to: jobs.count, by: 2_000) {
                let chunk = jobs[start..<min(start + 2_000, jobs.count)]
                var raw: [[UInt8]] = [Array("EVALSHA".utf8), Array(JobScripts.enqueue.sha1.utf8), Array("1".utf8)]
                raw.append(Array(JobKeys(queue: queue).prefix.utf8))
                raw.append(Array(String(nowMilliseconds).utf8))
                for job in chunk { raw.append(contentsOf: job.arguments) }
                commands.append(RedisCommand(rawArguments: raw))
                commandIndexes.append(chunk.map(\.index))
            }
        }
        if !newQueues.isEmpty { commands.append(RedisCommand("SADD", arguments: [JobKeys.queuesSet] + newQueues)) }
        let pipelined = commands
        // On a single node this joins the shared pipelined connection (no pooled connection, no thread hop);
        // a durable client confirms on a pooled one.
        let results = try await redis.pipeline(pipelined, loading: [JobScripts.enqueue])
        var outcomes = [EnqueueOutcome](repeating: .duplicate, count: batch.count)
        for (position, indexes) in commandIndexes.enumerated() {
            let flags = try results[position].get().array ?? []
            for (offset, index) in indexes.enumerated() where flags.count > offset && flags[offset].int == 1 {
                outcomes[index] = .enqueued(id: ids[index])
                metrics.enqueued(queue: definitions[index].queue, name: definitions[index].name)
            }
        }
        return outcomes
    }
}

/// The queue names this process already added to the queue registry set.
final class KnownQueues: Sendable {
    private let seen = Mutex<Set<String>>([])

    func unseen(_ queues: [String]) -> [String] {
        seen.withLock { seen in queues.filter { seen.insert($0).inserted } }
    }
}
