import Foundation
import Logging
import Redis
import TestSupport
import Testing

@Suite struct RedisScriptPipelineTests {
    let prefix = TestEnvironment.uniqueName("scriptpipe")

    private func client(sharing: Bool) throws -> RedisClient {
        var configuration = try RedisConfiguration(url: TestEnvironment.redisURL)
        configuration.sharesConnection = sharing
        return RedisClient(configuration: configuration, logger: Logger(label: "test"))
    }

    @Test(
        "a script the server lacks is loaded once and only the calls that met NOSCRIPT run again",
        arguments: [true, false])
    func loadsMissingScripts(sharing: Bool) async throws {
        let redis = try client(sharing: sharing)
        defer { redis.close() }
        #expect(redis.usesSharedConnection == sharing)
        // A source no server has seen: its first EVALSHA meets NOSCRIPT.
        let script = RedisScript("-- \(UUID())\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])")
        let key = "\(prefix):\(sharing):counter"
        let commands = [
            script.evalSHA(keys: [key], arguments: [2]), RedisCommand("INCRBY", key, 10),
            script.evalSHA(keys: [key], arguments: [5]), RedisCommand("GET", "\(prefix):none"),
        ]
        let results = try await redis.pipeline(commands, loading: [script])
        // The INCRBY ran first; the two script calls met NOSCRIPT and ran, in order, after the load.
        #expect(try results[1].get().int == 10)
        #expect(try results[0].get().int == 12)
        #expect(try results[2].get().int == 17)
        #expect(try results[3].get() == .null)
        // Every increment ran exactly once: 10 + 2 + 5.
        #expect(try await redis.send("GET", key).string == "17")
        // Known now: the same pipeline runs without reloading.
        let again = try await redis.pipeline([script.evalSHA(keys: [key], arguments: [1])], loading: [script])
        #expect(try again[0].get().int == 18)
        _ = try await redis.send("DEL", key)
    }

    @Test("a script the server refuses to load is a scriptFailed error", arguments: [true, false])
    func badScript(sharing: Bool) async throws {
        let redis = try client(sharing: sharing)
        defer { redis.close() }
        let script = RedisScript("-- \(UUID())\nthis is not lua")
        await #expect {
            _ = try await redis.pipeline([script.evalSHA(keys: ["\(prefix):x"], arguments: [])], loading: [script])
        } throws: { error in
            (error as? RedisError)?.code == .scriptFailed
        }
    }
}
