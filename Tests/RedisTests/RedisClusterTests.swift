import Foundation
import Logging
import Redis
import TestSupport
import Testing

/// Against the local 3-master cluster of scripts/lib/redis-topologies.sh (started by the first test).
@Suite struct RedisClusterTests {
    let prefix = TestEnvironment.uniqueName("clustertest")

    static func client(_ url: String) throws -> RedisClient {
        RedisClient(configuration: try RedisConfiguration(url: url), logger: Logger(label: "cluster-test"))
    }

    @Test("keys spread over the masters; a 2,000-command pipeline over many slots comes back in order")
    func spreadAndPipeline() async throws {
        let url = try await RedisTopologies.clusterURL()
        let redis = try Self.client(url)
        defer { redis.close() }
        let keys = (0..<2_000).map { "\(prefix):k\($0)" }
        let sets = try await redis.pipeline(
            keys.enumerated().map { RedisCommand("SET", $0.element, $0.offset, "EX", 60) })
        #expect(try sets.allSatisfy { try $0.get() == .status("OK") })
        let gets = try await redis.pipeline(keys.map { RedisCommand("GET", $0) })
        #expect(try gets.map { try $0.get().int } == (0..<2_000).map { Optional($0) })
        var holding = 0
        for node in try RedisClusterMigration.nodes(url) {
            defer { node.client.close() }
            let local = try await node.client.send("KEYS", "\(prefix):k1*").array ?? []
            if !local.isEmpty { holding += 1 }
        }
        #expect(holding == 3)
        #expect(try await redis.send("GET", keys[1_234]).int == 1_234)
    }

    @Test("a script unknown to every node is loaded per node on NOSCRIPT, for keys in every slot range")
    func scriptsPerNode() async throws {
        let redis = try Self.client(try await RedisTopologies.clusterURL())
        defer { redis.close() }
        let script = RedisScript("redis.call('SET', KEYS[1], ARGV[1], 'EX', 60) return '\(prefix)' .. ARGV[1]")
        for index in 0..<30 {
            let reply = try await redis.run(script, keys: ["{\(prefix)\(index)}:s"], arguments: [index])
            #expect(reply.string == "\(prefix)\(index)")
        }
        let commands = (0..<30).map { script.evalSHA(keys: ["{\(prefix)b\($0)}:s"], arguments: [$0]) }
        let results = try await redis.withConnection { try $0.pipeline(commands, loading: [script]) }
        #expect(try results.map { try $0.get().string } == (0..<30).map { "\(prefix)\($0)" })
    }

    @Test("MULTI … EXEC over keys of several slots runs one transaction per slot and merges the EXEC reply")
    func transactionsSplitBySlot() async throws {
        let redis = try Self.client(try await RedisTopologies.clusterURL())
        defer { redis.close() }
        let keys = (0..<6).map { "\(prefix):t\($0)" }
        var commands = [RedisCommand("MULTI")]
        commands += keys.map { RedisCommand("INCRBY", $0, 5) }
        commands.append(RedisCommand("EXEC"))
        commands.append(RedisCommand("GET", keys[3]))
        let results = try await redis.pipeline(commands)
        #expect(try results[0].get() == .status("OK"))
        #expect(try results[1].get() == .status("QUEUED"))
        #expect(try results[7].get() == .array(Array(repeating: .integer(5), count: 6)))
        #expect(try results[8].get().int == 5)
        _ = try await redis.pipeline(keys.map { RedisCommand("DEL", $0) })
    }

    @Test("a slot migrated to another master under traffic: MOVED and ASK are followed, no increment is lost")
    func slotMigrationUnderTraffic() async throws {
        let url = try await RedisTopologies.clusterURL()
        let redis = try Self.client(url)
        defer { redis.close() }
        let tag = "{\(prefix)}"
        let slot = RedisClusterSlot.slot(for: tag)
        let counters = (0..<40).map { "\(tag):c\($0)" }
        let script = RedisScript("return redis.call('INCR', KEYS[1]) + 0 * #ARGV")
        _ = try await redis.pipeline(counters.map { RedisCommand("SET", $0, 0, "EX", 120) })
        let traffic = Task {
            var sent = 0
            for round in 0..<60 {
                let batch = counters.map { RedisCommand("INCR", $0) }
                let results = try await redis.pipeline(batch)
                for result in results { _ = try result.get() }
                _ = try await redis.run(script, keys: [counters[round % counters.count]], arguments: [round])
                sent += 1
                try await Task.sleep(for: .milliseconds(5))
            }
            return sent
        }
        try await RedisClusterMigration.move(slot: slot, url: url, keysPerStep: 3, pause: .milliseconds(10))
        let rounds = try await traffic.value
        let values = try await redis.pipeline(counters.map { RedisCommand("GET", $0) }).map { try $0.get().int ?? -1 }
        let scripted = (0..<rounds).reduce(into: [Int](repeating: 0, count: counters.count)) { $0[$1 % 40] += 1 }
        #expect(values == scripted.map { $0 + rounds })
        _ = try await redis.pipeline(counters.map { RedisCommand("DEL", $0) })
    }

    @Test("a blocking pop on a dedicated connection is routed to the key's node and returns when pushed")
    func blockingPopRouted() async throws {
        let redis = try Self.client(try await RedisTopologies.clusterURL())
        defer { redis.close() }
        let key = "\(prefix):blocking"
        let connection = redis.makeDedicatedConnection()
        defer { connection.close() }
        // One key, as the job engine blocks: a BLPOP over keys in several slots may return nil early by design
        // (ClusterRouter.popAnyFirst), so the caller loops.
        async let popped = connection.send(RedisCommand("BLPOP", key, 5), blockingFor: .seconds(5))
        try await Task.sleep(for: .milliseconds(100))
        _ = try await redis.send("RPUSH", key, "hello")
        #expect(try await popped.array?.last?.string == "hello")
    }
}
