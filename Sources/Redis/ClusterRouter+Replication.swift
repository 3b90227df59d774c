extension ClusterRouter {
    /// `INFO replication` after writes describes the written node with the fewest connected replicas (`nil`:
    /// another command, or nothing written since the last `WAIT`: it goes to ``homeNode`` as usual).
    ///
    /// A durable call (``RedisDurability``) checks `connected_slaves` before its `WAIT`; in a cluster the
    /// writes went to the masters of their slots, not to the anchor's node. Asked of the anchor, a master that
    /// had just lost its replica (its old master crashed, it was promoted) would pass writes to another
    /// master off as unreplicated, and a healthy anchor would hide that the written master has no replica.
    func replicationInfo(_ command: RedisCommand, _ anchor: RedisConnection) throws -> RedisReply? {
        guard command.upperName == "INFO", command.arguments.count == 2,
            String(decoding: command.arguments[1], as: UTF8.self).lowercased() == "replication", !written.isEmpty
        else { return nil }
        var least: (replicas: Int, reply: RedisReply)?
        for node in written {
            let reply = try connection(node, anchor).sendDirect(command)
            let text = reply.string ?? ""
            let line = text.split(whereSeparator: \.isNewline).first { $0.hasPrefix("connected_slaves:") }
            let replicas = line.flatMap { Int($0.dropFirst("connected_slaves:".count)) } ?? 0
            if replicas < least?.replicas ?? Int.max { least = (replicas, reply) }
        }
        return least?.reply
    }
}

extension RedisConnection {
    /// Starts a durable call (``RedisDurability``): in a cluster, the `WAIT` that ends it asks only the masters
    /// this call writes to, not those earlier calls on this pooled connection wrote to (a worker's writes to a
    /// master whose replica is gone would fail every durable call on the connection). No-op outside a cluster.
    func beginDurableCall() {
        (router as? ClusterRouter)?.written = []
    }
}
