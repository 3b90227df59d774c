import Foundation
import Logging
import Redis

extension JobWorker {
    /// Sends acknowledgements in batches: one script call per queue, all pipelined in one round trip.
    func acknowledgeLoop() async {
        let deadMax = configuration.deadSetMaxCount
        let deadAge = Int(configuration.deadSetMaxAge.components.seconds) * 1000
        defer { state.markFinished() }
        var failures = 0
        while let batch = await state.nextAcknowledgements() {
            var byQueue: [String: [JobAcknowledgement]] = [:]
            for acknowledgement in batch { byQueue[acknowledgement.queue, default: []].append(acknowledgement) }
            let now = String(JobEnvelope.milliseconds(Date()))
            var commands: [RedisCommand] = []
            for (queue, acknowledgements) in byQueue {
                var raw: [[UInt8]] = [
                    Array("EVALSHA".utf8), Array(JobScripts.acknowledge.sha1.utf8), Array("1".utf8),
                    Array(JobKeys(queue: queue).prefix.utf8), Array(now.utf8), Array(String(deadMax).utf8),
                    Array(String(deadAge).utf8),
                ]
                raw.reserveCapacity(raw.count + acknowledgements.count * 4)
                for acknowledgement in acknowledgements {
                    raw.append(Array(acknowledgement.operation.rawValue.utf8))
                    raw.append(acknowledgement.leased)
                    raw.append(acknowledgement.replacement)
                    raw.append(Array(String(acknowledgement.score).utf8))
                }
                commands.append(RedisCommand(rawArguments: raw))
            }
            let sent = commands
            do {
                let results = try await redis.pipeline(sent, loading: [JobScripts.acknowledge])
                for result in results { _ = try result.get() }
                state.forget(batch.map(\.entryID))
                failures = 0
            } catch {
                failures += 1
                if state.isAcknowledgingFinished && failures >= 25 {
                    logger.error(
                        "giving up acknowledging at shutdown; the jobs run again when their leases expire",
                        metadata: ["error": "\(error)", "jobs.count": "\(batch.count)"]
                    )
                    return
                }
                logger.warning("job acknowledgement failed; retrying", metadata: ["error": "\(error)"])
                state.requeue(batch)
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// Renews leases, cancels runs past their timeout, returns expired leases and records queue depth.
    func maintenanceLoop() async {
        let tick = Duration.milliseconds(100)
        var sinceHeartbeat = Duration.zero
        var sinceReap = configuration.reapInterval
        while !state.isFinished {
            do {
                try await Task.sleep(for: tick)
            } catch {
                return
            }
            _ = state.cancelExpired(now: .now)
            sinceHeartbeat += tick
            sinceReap += tick
            if sinceHeartbeat >= configuration.heartbeatInterval {
                sinceHeartbeat = .zero
                await renewLeases()
            }
            if sinceReap >= configuration.reapInterval && !state.isStopping {
                sinceReap = .zero
                await reapExpiredLeases()
            }
        }
    }

    func renewLeases() async {
        let leased = state.leasedByQueue()
        guard !leased.isEmpty else { return }
        let deadline = String(
            JobEnvelope.milliseconds(Date()) + Int64(configuration.leaseDuration.components.seconds) * 1000)
        var commands: [RedisCommand] = []
        for (queue, members) in leased {
            var raw: [[UInt8]] = [Array("ZADD".utf8), Array(JobKeys(queue: queue).running.utf8), Array("XX".utf8)]
            for member in members {
                raw.append(Array(deadline.utf8))
                raw.append(member)
            }
            commands.append(RedisCommand(rawArguments: raw))
        }
        let sent = commands
        do {
            _ = try await redis.pipeline(sent)
        } catch {
            logger.warning("job lease renewal failed", metadata: ["error": "\(error)"])
        }
    }

    func reapExpiredLeases() async {
        let queues = self.queues
        let deadAge = Int(configuration.deadSetMaxAge.components.seconds) * 1000
        let commands =
            queues.map { queue in
                JobScripts.reap.evalSHA(
                    keys: [JobKeys(queue: queue).prefix],
                    arguments: [Int(JobEnvelope.milliseconds(Date())), 1_000, deadAge])
                    as RedisCommand
            } + queues.map { JobScripts.stats.evalSHA(keys: [JobKeys(queue: $0).prefix], arguments: [0]) }
        do {
            let results = try await redis.withConnection { connection in
                try connection.pipeline(commands, loading: [JobScripts.reap, JobScripts.stats])
            }
            for (index, queue) in queues.enumerated() {
                if let reaped = try results[index].get().int, reaped > 0 {
                    logger.info(
                        "returned expired leases to the queue",
                        metadata: ["jobs.queue": "\(queue)", "jobs.count": "\(reaped)"])
                }
                if let stats = try results[queues.count + index].get().array, let depth = stats.first?.int {
                    metrics.depth(queue: queue, value: depth)
                }
            }
        } catch {
            logger.warning("job reaper failed", metadata: ["error": "\(error)"])
        }
    }
}
