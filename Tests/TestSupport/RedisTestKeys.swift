public import Redis

/// Removes what a test left in the shared Redis: keys by pattern, and a job queue with its registration.
public enum RedisTestKeys {
    /// Deletes every key matching the glob `pattern` (SCAN, so the server never blocks on KEYS); best effort.
    public static func delete(matching pattern: String, redis: RedisClient) async {
        var cursor = "0"
        repeat {
            guard let reply = try? await redis.send("SCAN", cursor, "MATCH", pattern, "COUNT", 1_000),
                let parts = reply.array, parts.count == 2
            else { return }
            cursor = parts[0].string ?? "0"
            let keys = (parts[1].array ?? []).compactMap(\.bytes)
            if !keys.isEmpty { _ = try? await redis.send(RedisCommand("DEL", arguments: keys)) }
        } while cursor != "0"
    }

    /// Deletes every key of the job queue `queue` (`woodstock:jobs:{queue}…`) and its entry in the queue set.
    public static func deleteQueue(_ queue: String, redis: RedisClient) async {
        await delete(matching: "woodstock:jobs:\\{\(queue)\\}*", redis: redis)
        _ = try? await redis.send("SREM", "woodstock:jobs:queues", queue)
    }
}
