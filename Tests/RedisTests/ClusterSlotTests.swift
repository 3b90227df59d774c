import Redis
import Testing

@Suite struct ClusterSlotTests {
    @Test("CRC16 XMODEM and key slots match the Redis Cluster specification's vectors")
    func specificationVectors() {
        #expect(RedisClusterSlot.crc16(Array("123456789".utf8)) == 0x31C3)
        #expect(RedisClusterSlot.slot(for: "123456789") == 0x31C3 & 0x3FFF)
        // `CLUSTER KEYSLOT` on a real server answers these.
        #expect(RedisClusterSlot.slot(for: "foo") == 12_182)
        #expect(RedisClusterSlot.slot(for: "bar") == 5_061)
        #expect(RedisClusterSlot.slot(for: "") == 0)
    }

    @Test("hash tags: only the first {…} counts, and an empty {} does not")
    func hashTags() {
        let user = RedisClusterSlot.slot(for: "user1000")
        #expect(RedisClusterSlot.slot(for: "{user1000}.following") == user)
        #expect(RedisClusterSlot.slot(for: "{user1000}.followers") == user)
        #expect(RedisClusterSlot.slot(for: "foo{}{bar}") == RedisClusterSlot.slot(for: "foo{}{bar}"))
        #expect(RedisClusterSlot.slot(for: "foo{}{bar}") != RedisClusterSlot.slot(for: "bar"))
        #expect(RedisClusterSlot.slot(for: "foo{{bar}}zap") == RedisClusterSlot.slot(for: "{bar"))
        #expect(RedisClusterSlot.slot(for: "foo{bar}{zap}") == RedisClusterSlot.slot(for: "bar"))
        #expect(
            RedisClusterSlot.slot(for: "woodstock:jobs:{mail}:running")
                == RedisClusterSlot.slot(for: "woodstock:jobs:{mail}"))
    }

    @Test("cluster and sentinel URLs parse; the password never shows in the description")
    func topologyURLs() throws {
        let cluster = try RedisConfiguration(url: "redis+cluster://:s3cret@10.0.0.1:7000,10.0.0.2:7001")
        #expect(
            cluster.topology
                == .cluster(seeds: [.tcp(host: "10.0.0.1", port: 7000), .tcp(host: "10.0.0.2", port: 7001)]))
        #expect(cluster.password == "s3cret")
        #expect(!cluster.description.contains("s3cret"))
        #expect(cluster.description.hasPrefix("redis+cluster://"))
        let sentinel = try RedisConfiguration(url: "redis+sentinel://h1:26379,h2/mymaster/2")
        #expect(
            sentinel.topology
                == .sentinel(
                    sentinels: [.tcp(host: "h1", port: 26379), .tcp(host: "h2", port: 26379)], masterName: "mymaster"))
        #expect(sentinel.database == 2)
        #expect(try RedisConfiguration(url: "redis://h:1/0").topology == .standalone)
        #expect(throws: RedisError.self) { try RedisConfiguration(url: "redis+sentinel://h1:26379") }
        #expect(throws: RedisError.self) { try RedisConfiguration(url: "redis+cluster://h1:26379/3") }
        #expect(throws: RedisError.self) { try RedisConfiguration(url: "redis+cluster://h1:99999") }
    }
}
