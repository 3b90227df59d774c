import Logging
import TestSupport
import Testing

@testable import Redis

/// Durable writes against the shared single node (`REDIS_URL`, no replica attached).
@Suite struct RedisDurabilityTests {
    let prefix = TestEnvironment.uniqueName("durabletest")

    @Test("no replica: `on` refuses with .notReplicated (the write stays on the master), `auto` degrades, `off` skips")
    func withoutReplica() async throws {
        let redis = RedisClient(
            configuration: try RedisConfiguration(url: TestEnvironment.redisURL), logger: Logger(label: "durable"))
        defer { redis.close() }
        let replicas = try await redis.send("INFO", "replication").string ?? ""
        try #require(replicas.contains("connected_slaves:0"))
        let key = "\(prefix):k"
        await #expect {
            _ = try await redis.withDurability(RedisDurability(mode: .required)).send("INCR", key)
        } throws: { error in
            (error as? RedisError)?.code == .notReplicated
        }
        #expect(try await redis.withDurability(RedisDurability(mode: .auto)).send("INCR", key).int == 2)
        #expect(try await redis.withDurability(.off).send("INCR", key).int == 3)
        _ = try await redis.send("DEL", key)
    }

    @Test("`auto` with no replica attached uses the shared connection once it has looked; `on` never does")
    func autoSharesWhenDegraded() async throws {
        let redis = RedisClient(
            configuration: try RedisConfiguration(url: TestEnvironment.redisURL), logger: Logger(label: "durable"))
        defer { redis.close() }
        let auto = redis.withDurability(RedisDurability(mode: .auto))
        #expect(!auto.durabilityAllowsSharing)  // not looked yet: the pooled path looks and confirms
        let key = "\(prefix):auto"
        let looked = ContinuousClock.now
        #expect(try await auto.send("INCR", key).int == 1)
        // The look is remembered for a second; a machine slow enough to take longer here has nothing to show.
        let remembered = auto.durabilityAllowsSharing
        #expect(remembered || ContinuousClock.now - looked >= .seconds(1))
        #expect(try await auto.send("INCR", key).int == 2)
        #expect(!redis.withDurability(RedisDurability(mode: .required)).durabilityAllowsSharing)
        #expect(redis.durabilityAllowsSharing)
        _ = try await redis.send("DEL", key)
    }
}
