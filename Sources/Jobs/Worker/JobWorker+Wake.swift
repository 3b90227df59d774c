import Foundation
import Logging
import Redis

extension JobWorker {
    /// Blocks on the queues' wake-up lists until an enqueue (or the next delayed job, or the idle wait), and
    /// fetches in the same round trip: the fetch is queued behind the `BLPOP` on the wake-up connection, so the
    /// server runs it the moment the wait ends, reading its own clock.
    ///
    /// Fetches only on a single server without durable writes (a Cluster spreads the queues over slots; a
    /// durable fetch ends with `WAIT` on the shared client). A fetch the server refuses (script not loaded
    /// after a restart) is dropped: the next regular fetch loads the script and gets the jobs.
    /// - Parameters:
    ///   - hintMilliseconds: When delayed work may become available (0: none known).
    ///   - want: How many jobs the fetch on waking may lease.
    /// - Returns: The jobs leased on waking (often none).
    func waitForWork(hintMilliseconds: Int64, want: Int) async -> FetchResult {
        var wait = configuration.idleWait
        if hintMilliseconds > 0 {
            let untilHint = Duration.milliseconds(hintMilliseconds - JobEnvelope.milliseconds(Date()))
            wait = min(wait, untilHint)
        }
        wait = max(wait, .milliseconds(5))
        let seconds = Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18
        let keys = queues.map { JobKeys(queue: $0).notify }
        var commands = [RedisCommand("BLPOP", arguments: keys + [String(format: "%.3f", seconds)])]
        if fetchesOnWake && want > 0 {
            commands.append(
                JobScripts.fetchMany.evalSHA(keys: queuePrefixes, arguments: [0, want, Int(leaseMilliseconds)]))
        }
        let replies: [Result<RedisReply, RedisError>]
        do {
            replies = try await wakeConnection.pipeline(commands, blockingFor: wait)
        } catch {
            if state.isStopping || Task.isCancelled { return FetchResult() }
            logger.warning("job wake-up wait failed", metadata: ["error": "\(error)"])
            try? await Task.sleep(for: .milliseconds(200))
            return FetchResult()
        }
        guard replies.count == 2, case .success(let reply) = replies[1] else { return FetchResult() }
        do {
            return try Self.fetchResult(fromMany: reply, queues: queues)
        } catch {
            // The script leased jobs this reply does not name readably: they stay in the running set and the
            // reaper returns them to their queue when the lease ends, so nothing is lost, only delayed.
            logger.error(
                "unreadable reply to the fetch on waking; its jobs run again after their lease",
                metadata: ["error": "\(error)", "jobs.lease_ms": "\(leaseMilliseconds)"])
            return FetchResult()
        }
    }

    /// Whether ``waitForWork(hintMilliseconds:want:)`` fetches on waking.
    var fetchesOnWake: Bool {
        if case .cluster = redis.configuration.topology { return false }
        return redis.durability.mode == .off
    }
}
