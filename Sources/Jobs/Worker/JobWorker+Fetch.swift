import Foundation
import Logging
import Redis

extension JobWorker {
    /// A job leased by a fetch, with the queue it came from.
    struct LeasedJob: Sendable {
        let queue: String
        let bytes: [UInt8]
    }

    /// What one fetch round returned.
    struct FetchResult: Sendable {
        var jobs: [LeasedJob] = []
        /// The earliest time (ms since 1970) a delayed job or rate window may make work available; 0 if none.
        var hintMilliseconds: Int64 = 0
    }

    func fetchLoop(_ group: inout DiscardingTaskGroup) async {
        let batch = min(configuration.fetchBatchSize, configuration.concurrency)
        let threshold = max(1, batch / 2)
        var failures = 0
        while !state.isStopping && !Task.isCancelled {
            let free = await state.waitForSlots(threshold: threshold)
            if state.isStopping || Task.isCancelled { break }
            let result: FetchResult
            do {
                result = try await fetch(want: min(batch, free))
                failures = 0
            } catch {
                failures += 1
                logger.warning("job fetch failed", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(min(2_000, 50 * (1 << min(failures, 6)))))
                continue
            }
            if result.jobs.isEmpty {
                let woken = await waitForWork(hintMilliseconds: result.hintMilliseconds, want: min(batch, free))
                // Leased on waking: they run even when shutdown began meanwhile (the drain waits for them).
                for job in woken.jobs { start(job, in: &group) }
                continue
            }
            for job in result.jobs { start(job, in: &group) }
        }
    }

    /// Leases up to `want` jobs, highest-priority queue first: one round trip for every queue (``JobScripts/fetchMany``)
    /// on a single server, queue by queue on a Cluster (whose queues live in different slots).
    func fetch(want: Int) async throws -> FetchResult {
        if case .cluster = redis.configuration.topology { return try await fetchQueueByQueue(want: want) }
        let reply = try await redis.run(
            JobScripts.fetchMany, keys: queuePrefixes, arguments: fetchArguments(want: want))
        return try Self.fetchResult(fromMany: reply, queues: queues)
    }

    /// The queues' key prefixes, in priority order.
    var queuePrefixes: [String] { queues.map { JobKeys(queue: $0).prefix } }

    /// ``JobScripts/fetchMany``'s arguments: now, want, the lease deadline.
    func fetchArguments(want: Int) -> [Int] {
        let now = JobEnvelope.milliseconds(Date())
        return [Int(now), want, Int(now + leaseMilliseconds)]
    }

    /// How long a fetched job is leased before the reaper may hand it to another worker, in milliseconds.
    var leaseMilliseconds: Int64 { Int64(configuration.leaseDuration.components.seconds) * 1000 }

    /// Reads ``JobScripts/fetchMany``'s reply: `{hint, count, job…, count, job…}` in `queues` order.
    static func fetchResult(fromMany reply: RedisReply, queues: [String]) throws -> FetchResult {
        guard case .array(let elements) = reply, let hint = elements.first?.int else {
            throw RedisError(.unexpectedReply, message: "job fetch script returned \(reply)")
        }
        var result = FetchResult(hintMilliseconds: Int64(hint))
        var index = 1
        for queue in queues {
            guard index < elements.count, let count = elements[index].int, count >= 0, index + count < elements.count
            else {
                throw RedisError(.unexpectedReply, message: "job fetch script returned a short reply")
            }
            for element in elements[(index + 1)..<(index + 1 + count)] {
                if case .bulk(let bytes) = element { result.jobs.append(LeasedJob(queue: queue, bytes: bytes)) }
            }
            index += 1 + count
        }
        return result
    }

    /// ``fetch(want:)`` on a Cluster: ``JobScripts/fetch`` per queue until `want` jobs are leased.
    func fetchQueueByQueue(want: Int) async throws -> FetchResult {
        let queues = self.queues
        let leaseMilliseconds = self.leaseMilliseconds
        return try await redis.withConnection { connection in
            var result = FetchResult()
            var remaining = want
            for queue in queues where remaining > 0 {
                let now = JobEnvelope.milliseconds(Date())
                let reply = try connection.run(
                    JobScripts.fetch,
                    keys: [JobKeys(queue: queue).prefix],
                    arguments: [Int(now), remaining, Int(now + leaseMilliseconds)]
                )
                guard case .array(let elements) = reply, elements.count >= 2 else {
                    throw RedisError(.unexpectedReply, message: "job fetch script returned \(reply)")
                }
                let hint = Int64(elements[1].int ?? 0)
                if hint > 0 && (result.hintMilliseconds == 0 || hint < result.hintMilliseconds) {
                    result.hintMilliseconds = hint
                }
                for element in elements.dropFirst(2) {
                    if case .bulk(let bytes) = element { result.jobs.append(LeasedJob(queue: queue, bytes: bytes)) }
                }
                remaining = want - result.jobs.count
            }
            return result
        }
    }

    func start(_ job: LeasedJob, in group: inout DiscardingTaskGroup) {
        let envelope: JobEnvelope
        do {
            envelope = try JobEnvelope(decoding: job.bytes)
        } catch {
            let id = state.register(queue: job.queue, leased: job.bytes, timeout: .seconds(60))
            let replacement = job.bytes
            state.finish(id, acknowledgement: deadAcknowledgement(id: id, job: job, replacement: replacement))
            logger.error("malformed job moved to the dead set", metadata: ["jobs.queue": "\(job.queue)"])
            return
        }
        let definition = catalog.definitions[envelope.name]
        let id = state.register(queue: job.queue, leased: job.bytes, timeout: definition?.timeout ?? .seconds(60))
        // Handlers run below the worker's own loops (fetch, acknowledgements, lease renewal): with hundreds of
        // handlers ready at once, a fetch or a heartbeat would otherwise wait behind all of them. On a loaded
        // machine at 400 msg/s the mean enqueue-to-start wait of process-message went from 17 ms (one run before)
        // to 7-22 ms (five runs after); on a quiet one it is about 1 ms.
        group.addTask(priority: .low) {
            await self.execute(id: id, job: job, envelope: envelope, definition: definition)
        }
    }

    private func deadAcknowledgement(id: Int, job: LeasedJob, replacement: [UInt8]) -> JobAcknowledgement {
        JobAcknowledgement(
            entryID: id, queue: job.queue, operation: .dead, leased: job.bytes, replacement: replacement, score: 0
        )
    }
}
