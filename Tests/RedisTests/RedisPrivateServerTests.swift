import Foundation
import Logging
import Redis
import TestSupport
import Testing

@Suite struct RedisPrivateServerTests {
    @Test("a script still runs after SCRIPT FLUSH (EVALSHA falls back to SCRIPT LOAD)")
    func scriptAfterFlush() async throws {
        let server = try await RedisTestServer()
        defer { server.stop() }
        let redis = RedisClient(configuration: try RedisConfiguration(url: server.url), logger: Logger(label: "test"))
        defer { redis.close() }
        let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
        #expect(try await redis.run(script, keys: ["n"], arguments: [2]) == .integer(2))
        _ = try await redis.send("SCRIPT", "FLUSH")
        #expect(try await redis.send("SCRIPT", "EXISTS", script.sha1) == .array([.integer(0)]))
        #expect(try await redis.run(script, keys: ["n"], arguments: [3]) == .integer(5))
        _ = try await redis.send("SCRIPT", "FLUSH")
        let results = try await redis.withConnection { connection in
            try connection.pipeline(
                [script.evalSHA(keys: ["n"], arguments: [1]), script.evalSHA(keys: ["n"], arguments: [1])],
                loading: [script]
            )
        }
        #expect(try results.map { try $0.get() } == [.integer(6), .integer(7)])
    }

    @Test("after the server is killed and restarted the pool and the shared connection reconnect, failing at most once")
    func reconnectAfterRestart() async throws {
        let server = try await RedisTestServer()
        defer { server.stop() }
        var configuration = try RedisConfiguration(url: server.url)
        configuration.poolSize = 4
        let redis = RedisClient(configuration: configuration, logger: Logger(label: "test"))
        defer { redis.close() }
        _ = try await redis.send("SET", "k", "before")
        try await pingConcurrently(redis, times: 16)
        server.kill()
        try await server.start()
        // The shared connection usually sees the close while idle and re-dials before the next command;
        // if it did not yet, that one command fails. Either way the pool's epoch has advanced.
        do {
            _ = try await redis.send("GET", "k")
        } catch let error as RedisError {
            #expect(error.code == .connectionClosed || error.code == .connectionFailed)
        }
        // Every pooled connection predates the failure and re-dials instead of failing.
        try await pingConcurrently(redis, times: 16)
        #expect(try await redis.send("SET", "k", "after") == .status("OK"))
        #expect(try await redis.send("GET", "k").string == "after")
    }

    private func pingConcurrently(_ redis: RedisClient, times: Int) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<times {
                group.addTask {
                    _ = try await redis.withConnection { connection in
                        Thread.sleep(forTimeInterval: 0.01)
                        return try connection.send("PING")
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    @Test("connecting to a closed port throws connectionFailed")
    func connectionRefused() async throws {
        let server = try await RedisTestServer()
        server.stop()
        let redis = RedisClient(configuration: try RedisConfiguration(url: server.url), logger: Logger(label: "test"))
        defer { redis.close() }
        await #expect {
            _ = try await redis.send("PING")
        } throws: { error in
            (error as? RedisError)?.code == .connectionFailed
        }
    }
}
