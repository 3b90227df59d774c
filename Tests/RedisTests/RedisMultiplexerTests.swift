import Foundation
import Logging
import Redis
import TestSupport
import Testing

/// `send`, `run` and `pipeline` on a standalone server share one automatically pipelined connection.
@Suite struct RedisMultiplexerTests {
    let prefix = TestEnvironment.uniqueName("muxtest")

    @Test("300 concurrent callers each get their own reply, in order, on the shared connection")
    func concurrentCallers() async throws {
        let redis = RedisClient(
            configuration: try RedisConfiguration(url: TestEnvironment.redisURL), logger: Logger(label: "test"))
        defer { redis.close() }
        let counter = "\(prefix):counter"
        let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
        let mismatches = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<300 {
                group.addTask {
                    let key = "\(prefix):k\(index)"
                    let value = "value-\(index)-" + String(repeating: "x", count: index * 7)
                    var bad = 0
                    if try await redis.send("SET", key, value, "PX", 60_000) != .status("OK") { bad += 1 }
                    if try await redis.send("GET", key).string != value { bad += 1 }
                    _ = try await redis.run(script, keys: [counter], arguments: [1])
                    let both = try await redis.pipeline([RedisCommand("STRLEN", key), RedisCommand("DEL", key)])
                    if try both.map({ try $0.get() }) != [.integer(value.utf8.count), .integer(1)] { bad += 1 }
                    return bad
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(mismatches == 0)
        #expect(try await redis.send("GET", counter).string == "300")
        _ = try await redis.send("DEL", counter)
    }

    @Test("a pipeline keeps an error reply in its place; a single error reply throws serverError")
    func errorReplies() async throws {
        let redis = RedisClient(
            configuration: try RedisConfiguration(url: TestEnvironment.redisURL), logger: Logger(label: "test"))
        defer { redis.close() }
        let key = "\(prefix):text"
        let results = try await redis.pipeline([
            RedisCommand("SET", key, "abc", "PX", 60_000), RedisCommand("INCR", key), RedisCommand("GET", key),
        ])
        #expect(try results[0].get() == .status("OK"))
        #expect(throws: RedisError.self) { try results[1].get() }
        #expect(try results[2].get().string == "abc")
        await #expect {
            _ = try await redis.send("INCR", key)
        } throws: { error in
            (error as? RedisError)?.code == .serverError
        }
        #expect(try await redis.send("DEL", key) == .integer(1))
    }

    @Test("no reply within the command timeout throws timeout; the next command re-dials and succeeds")
    func commandTimeout() async throws {
        let server = try await RedisTestServer()
        defer { server.stop() }
        var configuration = try RedisConfiguration(url: server.url)
        configuration.commandTimeout = .milliseconds(200)
        let redis = RedisClient(configuration: configuration, logger: Logger(label: "test"))
        defer { redis.close() }
        #expect(try await redis.send("PING") == .status("PONG"))
        // A script that keeps this private server busy for 700 ms (a shared server must never be blocked).
        let busy =
            "local t = redis.call('TIME'); local s = t[1] * 1000000 + t[2]; "
            + "repeat t = redis.call('TIME') until t[1] * 1000000 + t[2] - s > 700000; return 1"
        await #expect {
            _ = try await redis.send("EVAL", busy, 0)
        } throws: { error in
            (error as? RedisError)?.code == .timeout
        }
        configuration.commandTimeout = .seconds(5)
        let patient = RedisClient(configuration: configuration, logger: Logger(label: "test"))
        defer { patient.close() }
        #expect(try await patient.send("PING") == .status("PONG"))
        #expect(try await redis.send("PING") == .status("PONG"))
    }

    @Test("after close, calls throw poolClosed")
    func closed() async throws {
        let redis = RedisClient(
            configuration: try RedisConfiguration(url: TestEnvironment.redisURL), logger: Logger(label: "test"))
        #expect(try await redis.send("PING") == .status("PONG"))
        redis.close()
        await #expect {
            _ = try await redis.send("PING")
        } throws: { error in
            (error as? RedisError)?.code == .poolClosed
        }
        await #expect {
            _ = try await redis.pipeline([RedisCommand("PING")])
        } throws: { error in
            (error as? RedisError)?.code == .poolClosed
        }
    }
}
