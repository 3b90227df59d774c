import Foundation
import Logging
import Redis
import Synchronization
import TestSupport
import Testing

/// Against the local HA cluster of scripts/lib/redis-topologies.sh (3 masters, 3 replicas, node timeout 1 s):
/// a master is killed with SIGKILL while clients write; its replica takes over.
@Suite(.serialized) struct RedisClusterFailoverTests {
    /// What the writers saw for one key.
    struct KeyLog: Sendable {
        var acknowledgedMax = 0
        var successesAfterKill = 0
        var errors = 0
        var lastError = ""
        var firstSuccessAfterKill: ContinuousClock.Instant?
    }

    final class Logs: Sendable {
        let keys: Mutex<[String: KeyLog]>
        let killedAt = Mutex<ContinuousClock.Instant?>(nil)
        let killStartedAt = Mutex<ContinuousClock.Instant?>(nil)
        let stop = Atomic<Bool>(false)

        init(_ keys: [String]) { self.keys = Mutex(Dictionary(uniqueKeysWithValues: keys.map { ($0, KeyLog()) })) }

        func snapshot() -> [String: KeyLog] { keys.withLock { $0 } }
    }

    /// Two keys in each third of the slot space, so every master holds some; `victim` is in 0...5460.
    static func keys(_ prefix: String) -> [String] {
        (0..<6).map { index in
            let third = index / 2
            let range = (third * 16_384 / 3 + 100)..<((third + 1) * 16_384 / 3 - 100)
            var attempt = 0
            while !range.contains(RedisClusterSlot.slot(for: "{\(prefix)-\(index)-\(attempt)}:n")) { attempt += 1 }
            return "{\(prefix)-\(index)-\(attempt)}:n"
        }
    }

    /// `INCR key` then `WAIT 1 500` on the same connection until `logs.stop`; an INCR counts as acknowledged
    /// when `WAIT` reports a replica had it.
    static func write(_ key: String, _ redis: RedisClient, _ logs: Logs) async {
        while !logs.stop.load(ordering: .relaxed) {
            do {
                let (value, replicas) = try await redis.withConnection { connection in
                    let value = try connection.send("INCR", key).int ?? 0
                    return (value, try connection.send("WAIT", 1, 200).int ?? 0)
                }
                let killed = logs.killedAt.withLock { $0 }
                logs.keys.withLock { keys in
                    var log = keys[key] ?? KeyLog()
                    if replicas >= 1 { log.acknowledgedMax = max(log.acknowledgedMax, value) }
                    if killed != nil {
                        log.successesAfterKill += 1
                        if log.firstSuccessAfterKill == nil { log.firstSuccessAfterKill = .now }
                    }
                    keys[key] = log
                }
                try? await Task.sleep(for: .milliseconds(2))  // paced: other suites share the 2 cores
            } catch {
                logs.keys.withLock { keys in
                    keys[key]?.errors += 1
                    keys[key]?.lastError = "\(error)"
                }
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
    }

    @Test(
        "INCR on keys of every master keeps answering across a master's kill -9; no INCR acknowledged by WAIT 1 is lost"
    )
    func masterKilledDuringWrites() async throws {
        try await RedisTopologies.withClusterHA { try await Self.writeAcrossKill(url: $0) }
    }

    static func writeAcrossKill(url: String) async throws {
        let prefix = TestEnvironment.uniqueName("haincr")
        let keys = Self.keys(prefix)
        let victimSlot = RedisClusterSlot.slot(for: keys[0])
        var logger = Logger(label: "cluster-failover-test")
        logger.logLevel = .critical
        let redis = RedisClient(configuration: try RedisConfiguration(url: url), logger: logger)
        defer { redis.close() }
        let logs = Logs(keys)
        var killed = ""
        try await withThrowingTaskGroup(of: Void.self) { writers in
            for key in keys { writers.addTask { await Self.write(key, redis, logs) } }
            defer { logs.stop.store(true, ordering: .relaxed) }
            try await waitFor(timeout: .seconds(30)) {
                logs.snapshot().values.allSatisfy { $0.acknowledgedMax >= 20 }
            }
            let killStarted = ContinuousClock.now  // delays are measured from here (the kill is a bit later)
            killed = try await RedisTopologies.killClusterHAMaster(slot: victimSlot)
            logs.killStartedAt.withLock { $0 = killStarted }
            logs.killedAt.withLock { $0 = .now }
            try await waitFor(timeout: .seconds(45)) {
                logs.snapshot().values.allSatisfy { $0.successesAfterKill >= 20 }
            }
            logs.stop.store(true, ordering: .relaxed)
            try await writers.waitForAll()
        }
        let promoted = try await RedisTopologies.clusterHAMaster(slot: victimSlot)
        #expect(!killed.isEmpty && promoted != killed)
        let result = logs.snapshot()
        let killedAt = try #require(logs.killStartedAt.withLock { $0 })
        for key in keys {
            let log = try #require(result[key])
            let seconds = log.firstSuccessAfterKill.map { "\($0 - killedAt)" } ?? "never"
            print(
                "failover \(killed) -> \(promoted): key slot \(RedisClusterSlot.slot(for: key)) errors \(log.errors), "
                    + "first success after the kill command started \(seconds), acknowledged up to \(log.acknowledgedMax)"
                    + (log.errors > 0 ? " (last error: \(log.lastError))" : ""))
            #expect(log.successesAfterKill >= 20)
        }
        // The killed node comes back as a replica of the promoted one; nothing acknowledged is lost.
        _ = try await RedisTopologies.clusterHAURL()
        for key in keys {
            let value = try await redis.send("GET", key).int ?? 0
            #expect(value >= result[key]?.acknowledgedMax ?? Int.max, "key \(key): acknowledged INCR lost")
        }
        let port = try #require(Int(killed.split(separator: ":").last ?? ""))
        let restarted = RedisClient(
            configuration: try RedisConfiguration(url: "redis://127.0.0.1:\(port)/0"), logger: logger)
        defer { restarted.close() }
        let role = try await restarted.send("ROLE").array?.first?.string
        #expect(role == "slave", "the restarted node should be a replica of \(promoted)")
        let replicas = try await redis.withConnection { connection in
            _ = try connection.send("INCR", keys[0])
            return try connection.send("WAIT", 1, 2_000).int ?? 0
        }
        #expect(replicas >= 1)
        _ = try await redis.pipeline(keys.map { RedisCommand("DEL", $0) })
    }
}
