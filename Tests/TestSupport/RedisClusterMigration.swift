import Foundation
import Logging
public import Redis

/// Moves one hash slot between masters the way `redis-cli --cluster reshard` does (IMPORTING/MIGRATING,
/// `MIGRATE` a few keys at a time, `SETSLOT … NODE` everywhere), slowly enough to overlap with traffic.
public enum RedisClusterMigration {
    /// Moves `slot` from its owner to another master of the cluster at `url`.
    /// - Parameters:
    ///   - keysPerStep: Keys moved per `MIGRATE`.
    ///   - pause: Sleep between steps, so traffic overlaps the migration.
    /// - Returns: The port of the new owner.
    /// - Throws: ``RedisError`` when a node refuses a step.
    @discardableResult
    public static func move(slot: Int, url: String, keysPerStep: Int, pause: Duration) async throws -> Int {
        let nodes = try Self.nodes(url)
        defer { for node in nodes { node.client.close() } }
        var ids: [Int: String] = [:]
        var owner: Int?
        for node in nodes {
            ids[node.port] = try await node.client.send("CLUSTER", "MYID").string
            let slots = try await node.client.send("CLUSTER", "SLOTS").array ?? []
            for range in slots {
                guard let parts = range.array, let start = parts[0].int, let end = parts[1].int,
                    let port = parts[2].array?[1].int
                else { continue }
                if (start...end).contains(slot) { owner = port }
            }
        }
        guard let from = owner, let source = nodes.first(where: { $0.port == from }),
            let target = nodes.first(where: { $0.port != from }), let sourceID = ids[from],
            let targetID = ids[target.port]
        else { throw RedisError(.unexpectedReply, message: "slot \(slot) has no owner") }
        _ = try await target.client.send("CLUSTER", "SETSLOT", slot, "IMPORTING", sourceID)
        _ = try await source.client.send("CLUSTER", "SETSLOT", slot, "MIGRATING", targetID)
        while true {
            let keys = try await source.client.send("CLUSTER", "GETKEYSINSLOT", slot, keysPerStep).array ?? []
            if keys.isEmpty { break }
            let names = keys.compactMap(\.bytes)
            _ = try await source.client.send(
                RedisCommand("MIGRATE", arguments: ["127.0.0.1", target.port, "", 0, 5_000, "KEYS"] + names))
            try await Task.sleep(for: pause)
        }
        _ = try await target.client.send("CLUSTER", "SETSLOT", slot, "NODE", targetID)
        _ = try await source.client.send("CLUSTER", "SETSLOT", slot, "NODE", targetID)
        for node in nodes where node.port != from && node.port != target.port {
            _ = try await node.client.send("CLUSTER", "SETSLOT", slot, "NODE", targetID)
        }
        return target.port
    }

    /// The node ports of a `redis+cluster://` URL, each with a plain (non-cluster) client the caller closes.
    /// - Throws: ``RedisError`` `.invalidURL` for a URL that is not a cluster URL.
    public static func nodes(_ url: String) throws -> [(port: Int, client: RedisClient)] {
        guard case .cluster(let seeds) = try RedisConfiguration(url: url).topology else {
            throw RedisError(.invalidURL, message: "not a redis+cluster URL")
        }
        return try seeds.compactMap { seed in
            guard case .tcp(let host, let port) = seed else { return nil }
            let configuration = try RedisConfiguration(url: "redis://\(host):\(port)/0")
            return (port, RedisClient(configuration: configuration, logger: Logger(label: "cluster-migration")))
        }
    }
}
