import Foundation
import Logging
import Redis
import Synchronization
import TestSupport
import Testing

/// Against the local Sentinel set-up of scripts/lib/redis-topologies.sh (1 master, 1 replica, 3 sentinels).
/// Serialized: the failover test moves the master under every other test of the suite.
@Suite(.serialized) struct RedisSentinelTests {
    let prefix = TestEnvironment.uniqueName("sentineltest")

    @Test("commands reach the master the sentinels name")
    func reachesMaster() async throws {
        let redis = RedisClient(
            configuration: try RedisConfiguration(url: try await RedisTopologies.sentinelURL()),
            logger: Logger(label: "sentinel-test"))
        defer { redis.close() }
        _ = try await redis.send("SET", "\(prefix):k", "v", "EX", 60)
        #expect(try await redis.send("GET", "\(prefix):k").string == "v")
        #expect(try await redis.send("ROLE").array?.first?.string == "master")
    }

    @Test("durable writes: WAIT 1 confirms on the replica; a replica that cannot acknowledge in time → .notReplicated")
    func durableWrites() async throws {
        let redis = RedisClient(
            configuration: try RedisConfiguration(url: try await RedisTopologies.sentinelURL()),
            logger: Logger(label: "sentinel-test"))
        defer { redis.close() }
        let durable = redis.withDurability(RedisDurability(mode: .required, timeout: .milliseconds(2_000)))
        _ = try await durable.send("SET", "\(prefix):durable", "1", "EX", 60)
        let results = try await durable.pipeline([
            RedisCommand("INCR", "\(prefix):n"), RedisCommand("INCR", "\(prefix):n"),
        ])
        #expect(try results.map { try $0.get().int } == [1, 2])
        // Stall the replica for 1.5 s: a 200 ms WAIT cannot be acknowledged.
        let replicas = try await redis.send("ROLE")
        let replicaPort = replicas.array?.dropFirst(2).first?.array?.first?.array?[1].int
        let port = try #require(replicaPort)
        let replica = RedisClient(
            configuration: try RedisConfiguration(url: "redis://127.0.0.1:\(port)/0"), logger: Logger(label: "r"))
        defer { replica.close() }
        let stall = Task { try await replica.send("DEBUG", "SLEEP", "1.5") }
        try await Task.sleep(for: .milliseconds(100))
        let impatient = redis.withDurability(RedisDurability(mode: .required, timeout: .milliseconds(200)))
        await #expect {
            _ = try await impatient.send("INCR", "\(prefix):n")
        } throws: { error in
            (error as? RedisError)?.code == .notReplicated
        }
        _ = try await stall.value
        _ = try await durable.send("DEL", "\(prefix):durable", "\(prefix):n")
    }

    @Test(
        "after a failover, READONLY (or the role check) on the demoted master makes every pooled connection re-ask the sentinels"
    )
    func followsFailover() async throws {
        var configuration = try RedisConfiguration(url: try await RedisTopologies.sentinelURL())
        configuration.poolSize = 4
        let redis = RedisClient(configuration: configuration, logger: Logger(label: "sentinel-test"))
        defer { redis.close() }
        let key = "\(prefix):counter"
        // Warm all four pooled connections on the current master.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { _ = try await redis.send("INCR", key) } }
            try await group.waitForAll()
        }
        let before = try await redis.send("ROLE").array
        let newMaster = try await RedisTopologies.run("topo_sentinel_failover")
        // Writes fail for a moment (READONLY / refused), then succeed on the new master.
        let errors = Mutex<[String]>([])
        var written = 0
        let deadline = ContinuousClock.now + .seconds(20)
        while written < 20 && ContinuousClock.now < deadline {
            do {
                _ = try await redis.send("INCR", key)
                written += 1
            } catch let error as RedisError {
                errors.withLock { $0.append(error.description) }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        #expect(written == 20)
        #expect(before?.first?.string == "master")
        let port = Int(newMaster.split(separator: ":").last ?? "") ?? 0
        let direct = RedisClient(
            configuration: try RedisConfiguration(url: "redis://127.0.0.1:\(port)/0"), logger: Logger(label: "direct"))
        defer { direct.close() }
        #expect(try await direct.send("ROLE").array?.first?.string == "master")
        // Every write before and after the failover is on the new master (the replica had the first 8).
        #expect(try await direct.send("GET", key).int == 28)
        // Each pooled connection met the demoted master at most once before re-dialing.
        let seen = errors.withLock { $0 }
        #expect(seen.count <= 4, "\(seen)")
        // The pooled connections were on the old master, now a replica: the first write met READONLY, or the
        // once-a-second role check found the demotion first.
        #expect(seen.contains { $0.contains("READONLY") || $0.contains("demoted") }, "\(seen)")
    }
}
