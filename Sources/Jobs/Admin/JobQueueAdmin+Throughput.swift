public import Foundation
import Redis

extension JobQueueAdmin {
    /// Each queue's finished runs per minute over the last `minutes` minutes, in one round trip.
    ///
    /// Counts come from the workers' acknowledgements (see the acknowledge script), so they cover every
    /// worker process; they are kept for three hours.
    /// - Parameters:
    ///   - queues: The queues.
    ///   - minutes: The window (1…180, 60 unless given), ending with the current minute.
    ///   - now: The reference time.
    /// - Returns: One series per queue, in the order given.
    /// - Throws: ``RedisError``.
    public func throughput(queues: [String], minutes: Int = 60, now: Date = Date()) async throws -> [QueueThroughput] {
        let window = min(max(minutes, 1), 180)
        let current = Int(now.timeIntervalSince1970 / 60)
        let first = current - window + 1
        let hours = Array(Set((first...current).map { $0 / 60 })).sorted()
        let commands = queues.flatMap { queue in
            hours.map { RedisCommand("HGETALL", "\(JobKeys(queue: queue).prefix):tp:\($0)") }
        }
        let replies = commands.isEmpty ? [] : try await redis.pipeline(commands)
        var series: [QueueThroughput] = []
        for (queueIndex, queue) in queues.enumerated() {
            var fields: [String: Int] = [:]
            for hourIndex in hours.indices {
                let elements = try replies[queueIndex * hours.count + hourIndex].get().array ?? []
                for index in stride(from: 0, to: elements.count - 1, by: 2) {
                    if let name = elements[index].string { fields[name] = elements[index + 1].int ?? 0 }
                }
            }
            let minuteList = (first...current).map { minute in
                QueueThroughput.Minute(
                    start: Date(timeIntervalSince1970: Double(minute * 60)), done: fields["\(minute):d"] ?? 0,
                    failed: fields["\(minute):f"] ?? 0, killed: fields["\(minute):k"] ?? 0,
                    latencyTotalMilliseconds: fields["\(minute):l"] ?? 0,
                    latencyMaxMilliseconds: fields["\(minute):h"] ?? 0)
            }
            series.append(QueueThroughput(queue: queue, minutes: minuteList))
        }
        return series
    }
}
