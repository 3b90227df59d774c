import Foundation
import Redis
import TestSupport
import Testing

@testable import Jobs

@Suite struct DeadSetPagingTests {
    /// Puts `count` dead jobs (ids dead-0000…) and one member that is not an envelope into the queue's dead set.
    func fillDeadSet(_ t: JobsTestContext, count: Int) async throws {
        let key = JobKeys(queue: t.queue).dead
        var commands: [RedisCommand] = []
        for n in 0..<count {
            let envelope = JobEnvelope(
                id: String(format: "dead-%04d", n), name: "gone", group: "_", enqueuedAtMilliseconds: 1,
                payload: Array("{}".utf8))
            commands.append(RedisCommand("ZADD", arguments: [key, Array("\(1_000 + n)".utf8), envelope.encoded()]))
        }
        commands.append(RedisCommand("ZADD", key, 999_999, "not an envelope"))
        _ = try await t.redis.pipeline(commands)
    }

    @Test("lookup, retry and purge walk a dead set larger than one page, skip what does not decode, and miss nothing")
    func pagedRetryAndPurge() async throws {
        let t = try JobsTestContext()
        let count = JobQueueAdmin.deadPageSize * 2 + 234
        try await fillDeadSet(t, count: count)
        let admin = JobQueueAdmin(redis: t.redis)
        // dead-0000 is the oldest, so the last one a newest-first walk reaches.
        #expect(try await admin.deadJob(queue: t.queue, id: "dead-0002")?.id == "dead-0002")
        #expect(try await admin.deadJob(queue: t.queue, id: "dead-9999") == nil)
        #expect(try await admin.retryDead(queue: t.queue, ids: ["dead-0000", "dead-0600"]) == 2)
        #expect(try await admin.purgeDead(queue: t.queue, ids: ["dead-0001"]) == 1)
        #expect(try await admin.retryDead(queue: t.queue, ids: ["dead-0000"]) == 0)
        #expect(try await admin.retryDead(queue: t.queue) == count - 3)
        var stats = try await t.stats()
        #expect(stats.dead == 1)  // the member that is not an envelope stays for an operator to look at
        #expect(stats.depth == count - 1)
        #expect(try await admin.purgeDead(queue: t.queue) == 1)
        stats = try await t.stats()
        #expect(stats.dead == 0)
        await t.cleanUp()
    }
}
