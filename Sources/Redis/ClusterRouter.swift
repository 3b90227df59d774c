import Glibc
import Synchronization

/// Takes over a connection's commands in cluster and Sentinel modes. Used only on the connection's own thread.
protocol RedisRouter: AnyObject {
    /// Sends one command for `anchor` (the connection the caller holds).
    func send(_ command: RedisCommand, anchor: RedisConnection) throws -> RedisReply
    /// Sends a pipeline for `anchor`, one result per command in order.
    func pipeline(_ commands: [RedisCommand], anchor: RedisConnection) throws -> [Result<RedisReply, RedisError>]
}

/// The sockets a router opened besides its anchor, so cancelling a blocked call can shut them all down.
final class RedisLinkedSockets: Sendable {
    private let sockets = Mutex<Set<Int32>>([])
    private let interrupted = Atomic<Bool>(false)

    /// `true` once ``interruptAll()`` ran: a router waiting out a failover gives up instead of dialing again.
    var isInterrupted: Bool { interrupted.load(ordering: .acquiring) }

    func add(_ socket: Int32) { _ = sockets.withLock { $0.insert(socket) } }
    func remove(_ socket: Int32) { _ = sockets.withLock { $0.remove(socket) } }

    /// Shuts every linked socket down (from any thread); blocked reads return at once.
    /// Forgets every socket (before they are closed, so a reused descriptor is never shut down).
    func removeAll() { sockets.withLock { $0.removeAll() } }

    func interruptAll() {
        interrupted.store(true, ordering: .releasing)
        sockets.withLock { sockets in
            for socket in sockets { RedisConnection.interrupt(socket: socket) }
        }
    }
}

/// Routes one pooled connection's commands across a Redis Cluster: by hash slot to the slot's master,
/// following `MOVED` (map updated) and `ASK` (`ASKING` + the command, once), retrying `TRYAGAIN`,
/// `CLUSTERDOWN` and a master that cannot be dialed with a backoff for up to `commandTimeout` (see
/// ``ClusterRetry``: a failover takes seconds). Holds one connection per node it talked to; the anchor (the
/// connection the pool sees) is the connection to its own node. Keyless commands go to the anchor's node while
/// it is a master, else to a master (a seed, or a crashed master restarted as a replica, cannot take writes).
///
/// A command whose connection breaks after it was sent is not retried (it may have run): it throws, and the
/// pool dials again on the next call.
///
/// Scripts and transactions meeting `ASK` wait for the migration to finish instead of running on the
/// importing node: the job engine's scripts declare one key and reach the others of the same hash tag,
/// which a half-migrated slot would split.
final class ClusterRouter: RedisRouter {
    let topology: ClusterTopology
    let anchorNode: ClusterTopology.Node
    let linked = RedisLinkedSockets()
    private let configuration: RedisConfiguration
    private let commandTimeout: Duration?
    /// Links to the other nodes, with the node's ``ClusterTopology/generation(of:)`` when dialed.
    private var connections: [ClusterTopology.Node: (connection: RedisConnection, generation: Int)] = [:]
    /// Nodes written to since the last `WAIT`, which `WAIT` then asks.
    var written: Set<ClusterTopology.Node> = []
    /// The most `MOVED`/`ASK` redirections one command follows.
    static let maxAttempts = 16

    init(
        topology: ClusterTopology, anchorNode: ClusterTopology.Node, configuration: RedisConfiguration,
        commandTimeout: Duration?
    ) {
        self.topology = topology
        self.anchorNode = anchorNode
        self.configuration = configuration
        self.commandTimeout = commandTimeout
    }

    deinit { linked.removeAll() }

    func send(_ command: RedisCommand, anchor: RedisConnection) throws -> RedisReply {
        refreshIfNeeded(anchor)
        switch ClusterRoute(command) {
        case .allMasters:
            var first: RedisReply?
            var skipped: RedisError?
            for node in topology.masters.isEmpty ? [homeNode] : topology.masters {
                let current: RedisConnection
                do {
                    current = try connection(node, anchor)
                } catch let error as RedisError where command.upperName == "SCRIPT" {
                    skipped = error  // a crashed master's successor loads the script on its first NOSCRIPT
                    continue
                }
                let reply = try current.sendDirect(command)
                if first == nil { first = reply }
            }
            if first == nil, let skipped { throw skipped }
            return first ?? .null
        case .wait:
            let nodes = written.isEmpty ? [homeNode] : Array(written)
            written = []
            var least: Int?
            for node in nodes {
                let count = try connection(node, anchor).sendDirect(command).int ?? 0
                least = min(least ?? count, count)
            }
            return .integer(least ?? 0)
        case .anyNode:
            if let info = try replicationInfo(command, anchor) { return info }
            return try execute(command, slot: nil, anchor)
        case .slot(let slot):
            let routed = commandTimeout == nil ? command.restrictedToFirstKeySlot() : command
            if routed != command, let popped = try popAnyFirst(command, anchor) { return popped }
            return try execute(routed, slot: slot, anchor)
        }
    }

    /// Where keyless commands go: the anchor's node while the map lists it as a master (or no map was read),
    /// else the first master.
    var homeNode: ClusterTopology.Node {
        let masters = topology.masters
        return masters.isEmpty || masters.contains(anchorNode) ? anchorNode : masters[0]
    }

    /// Runs one command on the master of `slot` (keyless: ``homeNode``), following redirections and waiting
    /// out an unreachable master or a refusing cluster (see ``ClusterRetry``).
    private func execute(_ command: RedisCommand, slot: Int?, _ anchor: RedisConnection) throws -> RedisReply {
        var node = slot.flatMap(topology.node(forSlot:)) ?? homeNode
        var asking = false
        var redirections = 0
        var retry = ClusterRetry(budget: configuration.commandTimeout)
        let waitsOnAsk = Self.waitsOnAsk(command)
        while true {
            let current: RedisConnection
            do {
                current = try connection(node, anchor)
            } catch let error as RedisError {
                // Nothing was sent: the node is down (a dead master whose replica is not promoted yet).
                guard retry.pause(linked) else { throw error }
                refreshIfNeeded(anchor)
                node = slot.flatMap(topology.node(forSlot:)) ?? homeNode
                asking = false
                continue
            }
            written.insert(node)
            do {
                if asking { return try current.pipelineDirect([RedisCommand("ASKING"), command])[1].get() }
                return try current.sendDirect(command)
            } catch let error as RedisError {
                switch ClusterRedirect(error, answeredBy: node) {
                case .moved(let slot, let target):
                    redirections += 1
                    guard redirections < Self.maxAttempts else { throw error }
                    topology.move(slot: slot, to: target)
                    node = target
                    asking = false
                case .ask(_, let target):
                    if waitsOnAsk {
                        guard retry.pause(linked) else { throw error }
                    } else {
                        redirections += 1
                        guard redirections < Self.maxAttempts else { throw error }
                        node = target
                        asking = true
                    }
                case .retry:
                    topology.markStale()
                    guard retry.pause(linked) else { throw error }
                    refreshIfNeeded(anchor)
                    node = slot.flatMap(topology.node(forSlot:)) ?? homeNode
                case nil:
                    if error.code != .serverError { lost(node) }
                    throw error
                }
            }
        }
    }

    func pipeline(_ commands: [RedisCommand], anchor: RedisConnection) throws -> [Result<RedisReply, RedisError>] {
        refreshIfNeeded(anchor)
        var results = [Result<RedisReply, RedisError>?](repeating: nil, count: commands.count)
        var segmentStart = 0
        for (index, command) in commands.enumerated() {
            let route = ClusterRoute(command)
            guard route == .allMasters || route == .wait else { continue }
            try runSegment(commands, segmentStart..<index, into: &results, anchor)
            results[index] = Result { try send(command, anchor: anchor) }.mapError(Self.redisError)
            segmentStart = index + 1
        }
        try runSegment(commands, segmentStart..<commands.count, into: &results, anchor)
        return results.map { $0 ?? .failure(RedisError(.unexpectedReply, message: "no reply routed")) }
    }

    private func runSegment(
        _ commands: [RedisCommand], _ range: Range<Int>, into results: inout [Result<RedisReply, RedisError>?],
        _ anchor: RedisConnection
    ) throws {
        guard !range.isEmpty else { return }
        var batch = ClusterPipelineBatch(commands: commands, range: range, topology: topology, fallback: homeNode)
        var retry = ClusterRetry(budget: configuration.commandTimeout)
        var round = 0
        var final = false
        while !batch.pending.isEmpty {
            if round > 0 {
                final = final || round + 1 >= Self.maxRounds || !retry.pause(linked)
                refreshIfNeeded(anchor)
                batch.reroute(fallback: homeNode)
            }
            for (node, parts) in batch.takePendingByNode() {
                let current: RedisConnection
                do {
                    current = try connection(node, anchor)
                } catch let error as RedisError {
                    // Nothing was sent to a node that cannot be dialed: these parts wait for the new map.
                    if final { batch.fail(parts, with: error) } else { batch.retryElsewhere(parts) }
                    continue
                }
                let wire = parts.flatMap { batch.wire(for: $0) }
                written.insert(node)
                do {
                    batch.absorb(try current.pipelineDirect(wire), for: parts, at: node, final: final)
                } catch let error as RedisError {
                    if error.code != .serverError { lost(node) }
                    batch.fail(parts, with: error)
                }
            }
            round += 1
        }
        batch.finish(into: &results)
    }

    /// The most rounds a pipeline segment makes (each after a backoff), whatever the time budget says.
    static let maxRounds = 200

    /// The connection to a node (the anchor for its own node), dialed on first use.
    func connection(_ node: ClusterTopology.Node, _ anchor: RedisConnection) throws -> RedisConnection {
        if node == anchorNode { return anchor }
        let generation = topology.generation(of: node)
        if let existing = connections[node], !existing.connection.isBroken, existing.generation >= generation {
            return existing.connection
        }
        if let old = connections.removeValue(forKey: node) { linked.remove(old.connection.socketDescriptor) }
        var nodeConfiguration = configuration
        nodeConfiguration.endpoint = .tcp(host: node.host, port: node.port)
        nodeConfiguration.topology = .standalone
        nodeConfiguration.database = 0
        do {
            let dialed = try RedisConnection(configuration: nodeConfiguration, commandTimeout: commandTimeout)
            connections[node] = (dialed, generation)
            linked.add(dialed.socketDescriptor)
            topology.noteReachable(node)
            return dialed
        } catch {
            topology.noteUnreachable(node)
            throw error
        }
    }

    /// A node's connection failed: forget it and refresh the map before the next command.
    /// Its command failed, so the caller got the error: a later `WAIT` does not wait for it.
    private func lost(_ node: ClusterTopology.Node) {
        topology.markStale()
        written.remove(node)
        if let broken = connections.removeValue(forKey: node) {
            topology.noteLost(node, generation: broken.generation)
            linked.remove(broken.connection.socketDescriptor)
        }
    }

    /// Re-reads `CLUSTER SLOTS` when the map is stale, from the anchor (unless it broke) or else any known node,
    /// nodes that could not be dialed lately last.
    func refreshIfNeeded(_ anchor: RedisConnection) {
        guard topology.claimRefresh() else { return }
        let others = topology.candidates.filter { $0 != anchorNode }
        for node in anchor.isBroken ? others : [anchorNode] + others {
            guard let current = try? connection(node, anchor),
                let reply = try? current.sendDirect(RedisCommand("CLUSTER", "SLOTS"))
            else { continue }
            if (try? topology.apply(slotsReply: reply, queried: node)) != nil { return }
        }
    }

    /// Scripts and transactions wait out a migration rather than follow `ASK` (see the type's notes).
    static func waitsOnAsk(_ command: RedisCommand) -> Bool {
        ["EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO", "MULTI", "EXEC"].contains(command.upperName)
    }

    private static func redisError(_ error: any Error) -> RedisError {
        (error as? RedisError) ?? RedisError(.unexpectedReply, message: "\(error)")
    }
}
