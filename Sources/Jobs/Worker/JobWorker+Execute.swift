import Foundation
import Logging
import Metrics

extension JobWorker {
    func execute(id: Int, job: LeasedJob, envelope: JobEnvelope, definition: JobDefinition?) async {
        let nowMilliseconds = JobEnvelope.milliseconds(Date())
        let jobMetrics = metrics.job(queue: job.queue, name: definition == nil ? "unknown" : envelope.name)
        jobMetrics.queueWait.recordNanoseconds(max(0, (nowMilliseconds - envelope.enqueuedAtMilliseconds) * 1_000_000))
        guard let definition, let handler = registry.handler(named: envelope.name) else {
            let reason = "unknown job name '\(envelope.name)': no handler or catalog entry in this worker"
            logger.error("job moved to the dead set", metadata: ["job.id": "\(envelope.id)", "error": "\(reason)"])
            state.finish(
                id,
                acknowledgement: failure(
                    id: id, job: job, envelope: envelope, reason: reason, permanent: true, maxAttempts: 1))
            return
        }
        if envelope.attempt >= definition.maxAttempts {
            let reason = "its lease expired on its last allowed run (worker killed or stuck)"
            state.finish(
                id,
                acknowledgement: failure(
                    id: id, job: job, envelope: envelope, reason: reason, permanent: true, maxAttempts: 1,
                    countsAsAttempt: false
                )
            )
            return
        }
        let context = JobContext(
            jobID: envelope.id,
            name: envelope.name,
            queue: job.queue,
            group: envelope.group == JobEnvelope.defaultGroup ? nil : envelope.group,
            attempt: envelope.attempt + 1,
            enqueuedAt: Date(timeIntervalSince1970: Double(envelope.enqueuedAtMilliseconds) / 1000),
            logger: logger
        )
        let payload = envelope.payload
        let started = ContinuousClock.now
        let task = Task { try await handler(payload, context) }
        state.attach(task, to: id)
        let result = await withTaskCancellationHandler {
            await task.result
        } onCancel: {
            task.cancel()
        }
        let elapsed = ContinuousClock.now - started
        jobMetrics.runTime.recordNanoseconds(
            elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        )
        let flags = state.flags(of: id)
        if flags.isHandedBack {
            state.finish(id, acknowledgement: nil)
            return
        }
        switch result {
        case .success:
            jobMetrics.processed.increment()
            state.finish(
                id,
                acknowledgement: JobAcknowledgement(
                    entryID: id, queue: job.queue, operation: .done, leased: job.bytes, replacement: [], score: 0)
            )
        case .failure(let error):
            let reason = flags.isTimedOut ? "timed out after \(definition.timeout)" : String(describing: error)
            let permanent = (error as? JobError)?.code == .payloadEncoding
            context.logger.warning("job failed", metadata: ["error": "\(reason)"])
            jobMetrics.failed.increment()
            state.finish(
                id,
                acknowledgement: failure(
                    id: id, job: job, envelope: envelope, reason: reason, permanent: permanent,
                    maxAttempts: definition.maxAttempts, backoff: definition.backoff, error: error
                )
            )
        }
    }

    /// The acknowledgement for a failed run: a retry after `max(backoff, retryAfter)` (``JobRetryDelaying``),
    /// or the dead set.
    func failure(
        id: Int,
        job: LeasedJob,
        envelope: JobEnvelope,
        reason: String,
        permanent: Bool,
        maxAttempts: Int,
        backoff: JobDefinition.Backoff? = nil,
        error: (any Error)? = nil,
        countsAsAttempt: Bool = true
    ) -> JobAcknowledgement {
        var next = envelope
        if countsAsAttempt { next.attempt = envelope.attempt + 1 }
        next.history.append(JobAttempt(attempt: next.attempt, failedAt: Date(), error: String(reason.prefix(1_000))))
        if next.history.count > configuration.historyLimit {
            next.history.removeFirst(next.history.count - configuration.historyLimit)
        }
        if permanent || next.attempt >= maxAttempts || backoff == nil {
            metrics.job(queue: job.queue, name: envelope.name).dead.increment()
            logger.error(
                "job moved to the dead set",
                metadata: [
                    "job.id": "\(envelope.id)", "job.name": "\(envelope.name)", "job.attempt": "\(next.attempt)",
                ]
            )
            return JobAcknowledgement(
                entryID: id, queue: job.queue, operation: .dead, leased: job.bytes, replacement: next.encoded(),
                score: 0
            )
        }
        metrics.job(queue: job.queue, name: envelope.name).retried.increment()
        let backoffDelay = Self.backoffDelay(
            attempt: next.attempt, backoff: backoff ?? .init(base: .seconds(1), maximum: .seconds(1), jitter: 0))
        // A remote side's Retry-After (carried by the error) pushes the retry later, never earlier.
        let delay = error.map { JobRetryDelay.seconds(backoff: backoffDelay, error: $0) } ?? backoffDelay
        let runAt = JobEnvelope.milliseconds(Date()) + Int64(delay * 1000)
        return JobAcknowledgement(
            entryID: id, queue: job.queue, operation: .retry, leased: job.bytes, replacement: next.encoded(),
            score: runAt
        )
    }

    /// Seconds before retry `attempt` (1 = first retry): `min(maximum, base * 2^(attempt-1))` scaled by
    /// a random factor in `1 - jitter ... 1 + jitter`.
    static func backoffDelay(attempt: Int, backoff: JobDefinition.Backoff) -> Double {
        func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
        let exponential = seconds(backoff.base) * pow(2, Double(max(0, attempt - 1)))
        let capped = min(seconds(backoff.maximum), exponential)
        let jitter = min(1, max(0, backoff.jitter))
        return max(0, capped * Double.random(in: (1 - jitter)...(1 + jitter)))
    }
}
