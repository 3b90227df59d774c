import Foundation
import Logging
import Redis
import TestSupport
import Testing

@Suite struct RedisClientTests {
    let redis: RedisClient
    let prefix = TestEnvironment.uniqueName("redistest")

    init() throws {
        redis = RedisClient(
            configuration: try RedisConfiguration(url: TestEnvironment.redisURL), logger: Logger(label: "test"))
    }

    @Test("NUL bytes and invalid UTF-8 round-trip unchanged")
    func binaryRoundTrip() async throws {
        let value: [UInt8] = [0x00, 0xFF, 0xFE, 0x00, 0xC3, 0x28, 0x0A, 0x0D, 0x00]
        let key = Array("\(prefix):bin\0key".utf8)
        _ = try await redis.send("SET", key, value, "PX", 60_000)
        let reply = try await redis.send("GET", key)
        #expect(reply == .bulk(value))
        #expect(try await redis.send("STRLEN", key) == .integer(value.count))
        _ = try await redis.send("DEL", key)
    }

    @Test("a pipeline of 10,000 commands returns 10,000 replies in order")
    func bigPipeline() async throws {
        let key = "\(prefix):counter"
        let commands = (0..<10_000).map { _ in RedisCommand("INCR", key) }
        let results = try await redis.pipeline(commands)
        #expect(results.count == 10_000)
        let values = try results.map { try $0.get().int }
        #expect(values == (1...10_000).map { Optional($0) })
        _ = try await redis.send("DEL", key)
    }

    @Test("an error reply is thrown with the server's message")
    func errorReply() async throws {
        let key = "\(prefix):list"
        _ = try await redis.send("RPUSH", key, "x")
        await #expect {
            _ = try await redis.send("INCR", key)
        } throws: { error in
            guard let error = error as? RedisError else { return false }
            return error.code == .serverError && (error.message?.contains("WRONGTYPE") ?? false)
        }
        let results = try await redis.pipeline([RedisCommand("INCR", key), RedisCommand("LLEN", key)])
        #expect((try? results[0].get()) == nil)
        #expect(try results[1].get() == .integer(1))
        _ = try await redis.send("DEL", key)
    }

    @Test("a missing database URL part and a bad scheme are rejected without leaking the password")
    func configurationParsing() throws {
        let tcp = try RedisConfiguration(url: "redis://:s3cret@example.org:6380/3")
        #expect(tcp.endpoint == .tcp(host: "example.org", port: 6380))
        #expect(tcp.database == 3)
        #expect(tcp.password == "s3cret")
        #expect(!tcp.description.contains("s3cret"))
        let unix = try RedisConfiguration(url: "unix:///run/redis.sock?db=2")
        #expect(unix.endpoint == .unixSocket(path: "/run/redis.sock"))
        #expect(unix.database == 2)
        #expect(throws: RedisError.self) { try RedisConfiguration(url: "http://:s3cret@host/0") }
        #expect(throws: RedisError.self) { try RedisConfiguration(url: "redis://host/abc") }
    }

    @Test("a script's locally computed SHA-1 is the one the server computes")
    func scriptSHA() async throws {
        let script = RedisScript("return 'sha check \(prefix)'")
        let reply = try await redis.send("SCRIPT", "LOAD", script.source)
        #expect(reply.string == script.sha1)
        #expect(RedisScript("").sha1 == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
    }

    @Test("a blocking pop on a dedicated connection returns when pushed and when cancelled")
    func blockingPop() async throws {
        let key = "\(prefix):blocking"
        let popped = try await redis.withDedicatedConnection { connection in
            try await withThrowingTaskGroup(of: RedisReply?.self) { group in
                group.addTask { try await connection.send(RedisCommand("BLPOP", key, 5), blockingFor: .seconds(5)) }
                group.addTask {
                    _ = try await redis.send("RPUSH", key, "v")
                    return nil
                }
                var result: RedisReply?
                for try await reply in group where reply != nil { result = reply }
                return result
            }
        }
        #expect(popped == .array([.bulk(Array(key.utf8)), .bulk(Array("v".utf8))]))
        let task = Task {
            try await redis.withDedicatedConnection { connection in
                try await connection.send(RedisCommand("BLPOP", key, 30), blockingFor: .seconds(30))
            }
        }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        await #expect(throws: (any Error).self) { _ = try await task.value }
    }
}
