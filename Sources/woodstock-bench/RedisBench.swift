import ArgumentParser
import Foundation
import Logging
import Redis

/// `woodstock-bench redis`: GET/SET through our hiredis wrapper on one connection: awaited round trips
/// (one thread hop each), a 16-deep pipeline, and a loop inside one `withConnection` hop.
/// Prints `key=value` lines that `scripts/bench.d/redis.sh` sets beside `redis-benchmark`.
struct RedisBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redis",
        abstract: "GET/SET round trips and pipelines through the Redis wrapper (scripts/bench redis)."
    )

    @Option(help: "Redis URL.") var url = "redis://127.0.0.1:56379/0"
    @Option(help: "Commands per measurement.") var requests = 100_000
    @Option(help: "Pipeline depth.") var pipeline = 16

    func run() async throws {
        var configuration = try RedisConfiguration(url: url)
        configuration.poolSize = 1
        let redis = RedisClient(configuration: configuration, logger: Logger(label: "woodstock.bench.redis"))
        defer { redis.close() }
        let key = "bench:redis:\(UUID().uuidString)"
        let value = [UInt8](repeating: 0x78, count: 3)
        _ = try await redis.send("SET", key, value)

        // Warm-up.
        for _ in 0..<2_000 { _ = try await redis.send("GET", key) }

        let n = requests
        var start = ContinuousClock.now
        for index in 0..<n {
            if index & 1 == 0 {
                _ = try await redis.send("SET", key, value)
            } else {
                _ = try await redis.send("GET", key)
            }
        }
        print("wrapper_p1_ops=\(Int(Double(n) / seconds(since: start)))")

        let batch = (0..<pipeline).map { $0 & 1 == 0 ? RedisCommand("SET", key, value) : RedisCommand("GET", key) }
        start = ContinuousClock.now
        for _ in 0..<(n / pipeline) { _ = try await redis.pipeline(batch) }
        print("wrapper_p\(pipeline)_ops=\(Int(Double(n / pipeline * pipeline) / seconds(since: start)))")

        start = ContinuousClock.now
        try await redis.withConnection { connection in
            for index in 0..<n {
                _ = try connection.send(index & 1 == 0 ? RedisCommand("SET", key, value) : RedisCommand("GET", key))
            }
        }
        print("wrapper_onehop_ops=\(Int(Double(n) / seconds(since: start)))")
        _ = try await redis.send("DEL", key)
    }

    private func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
