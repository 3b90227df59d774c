import Synchronization

/// The slot map of one Redis Cluster, shared by every connection to it in this process.
///
/// Read on every routed command (one lock, one array lookup); rewritten from `CLUSTER SLOTS` when a
/// `MOVED` reply, a failed node or `CLUSTERDOWN` marks it stale.
final class ClusterTopology: Sendable {
    /// One node's address.
    struct Node: Hashable, Sendable, CustomStringConvertible {
        let host: String
        let port: Int
        var description: String { "\(host):\(port)" }
    }

    private struct State {
        var slots = [Node?](repeating: nil, count: RedisClusterSlot.count)
        var masters: [Node] = []
        var isStale = true
        var lastAttempt: ContinuousClock.Instant?
        /// Nodes a dial failed to reach, and when: asked last for a while (a dead master's connect may be slow).
        var unreachable: [Node: ContinuousClock.Instant] = [:]
        /// Per node, how many times a connection to it broke (see ``generation(of:)``).
        var generations: [Node: Int] = [:]
    }

    /// How long a node that could not be dialed is tried after the others.
    static let unreachableFor = Duration.seconds(10)

    /// The addresses from the configuration, asked when no known master answers.
    let seeds: [Node]
    private let state = Mutex(State())

    init(seeds: [Node]) { self.seeds = seeds }

    /// The master serving a slot, if the map knows it.
    func node(forSlot slot: Int) -> Node? { state.withLock { $0.slots[slot] } }

    /// The masters of the last map (empty before the first refresh).
    var masters: [Node] { state.withLock { $0.masters } }

    /// Known masters first, then the seeds, without duplicates, nodes recently unreachable last: where a refresh
    /// or a first dial looks. After a master died, the map still names it until its replica is promoted; asking
    /// it first on every refresh and redial would cost a refused (or, across a network, timed-out) dial each time.
    var candidates: [Node] {
        var seen = Set<Node>()
        let all = (masters + seeds).filter { seen.insert($0).inserted }
        let now = ContinuousClock.now
        let down = state.withLock { state in
            state.unreachable = state.unreachable.filter { now - $0.value < Self.unreachableFor }
            return Set(state.unreachable.keys)
        }
        return all.filter { !down.contains($0) } + all.filter { down.contains($0) }
    }

    /// A dial to `node` failed: it goes to the end of ``candidates`` for a while, and the map is marked stale.
    func noteUnreachable(_ node: Node) {
        let now = ContinuousClock.now
        state.withLock { state in
            state.unreachable[node] = now
            state.isStale = true
        }
    }

    /// Bumped when a connection to `node` breaks: every router's link to it dialed before is then redialed
    /// before its next use, so a node's crash costs one failed command rather than one per pooled connection.
    func generation(of node: Node) -> Int { state.withLock { $0.generations[node] ?? 0 } }

    /// A connection of `generation` to `node` broke: the map is stale and older links are dropped (concurrent
    /// failures of the same generation bump it once).
    func noteLost(_ node: Node, generation: Int) {
        state.withLock { state in
            state.isStale = true
            if (state.generations[node] ?? 0) == generation { state.generations[node] = generation + 1 }
        }
    }

    /// A dial to `node` succeeded: it is a normal candidate again.
    func noteReachable(_ node: Node) {
        state.withLock { state in
            if state.unreachable[node] != nil { state.unreachable[node] = nil }
        }
    }

    /// Marks the map stale, so the next command refreshes it.
    func markStale() { state.withLock { $0.isStale = true } }

    /// `MOVED slot host:port`: the slot's new owner, known before the next full refresh.
    func move(slot: Int, to node: Node) {
        state.withLock { state in
            state.slots[slot] = node
            state.isStale = true
        }
    }

    /// `true` (once per 50 ms at most, always while no map was read yet) when the map is stale and this caller
    /// should refresh it.
    func claimRefresh() -> Bool {
        let now = ContinuousClock.now
        return state.withLock { state in
            guard state.isStale else { return false }
            if let last = state.lastAttempt, now - last < .milliseconds(50), !state.masters.isEmpty { return false }
            state.lastAttempt = now
            return true
        }
    }

    /// Replaces the map with a `CLUSTER SLOTS` reply obtained from `queried`.
    /// - Throws: ``RedisError`` `.unexpectedReply` when the reply has no slot range.
    func apply(slotsReply reply: RedisReply, queried: Node) throws {
        var slots = [Node?](repeating: nil, count: RedisClusterSlot.count)
        var masters: [Node] = []
        for range in reply.array ?? [] {
            guard let parts = range.array, parts.count >= 3, let start = parts[0].int, let end = parts[1].int,
                let master = parts[2].array, master.count >= 2, let port = master[1].int,
                (0..<RedisClusterSlot.count).contains(start), (start..<RedisClusterSlot.count).contains(end)
            else { continue }
            let host = master[0].string ?? ""
            let node = Node(host: host.isEmpty || host == "?" ? queried.host : host, port: port)
            for slot in start...end { slots[slot] = node }
            if !masters.contains(node) { masters.append(node) }
        }
        guard !masters.isEmpty else {
            throw RedisError(.unexpectedReply, message: "CLUSTER SLOTS returned no slot range (not a cluster?)")
        }
        state.withLock { state in
            state.slots = slots
            state.masters = masters
            state.isStale = false
        }
    }

    private static let shared = Mutex<[[Node]: ClusterTopology]>([:])

    /// The process-wide map for a seed list: every client of the same cluster shares one.
    static func shared(seeds: [Node]) -> ClusterTopology {
        shared.withLock { all in
            if let existing = all[seeds] { return existing }
            let topology = ClusterTopology(seeds: seeds)
            all[seeds] = topology
            return topology
        }
    }
}

/// A cluster redirection or transient refusal carried by an error reply.
enum ClusterRedirect {
    /// `MOVED slot host:port`: the slot lives elsewhere for good.
    case moved(slot: Int, node: ClusterTopology.Node)
    /// `ASK slot host:port`: this one key is being migrated; ask the target once, prefixed by `ASKING`.
    case ask(slot: Int, node: ClusterTopology.Node)
    /// `TRYAGAIN` (keys split by a migration) or `CLUSTERDOWN`: wait a moment and retry.
    case retry

    /// Parses an error; `nil` when it is not a redirection. An empty host means the node that answered.
    init?(_ error: RedisError, answeredBy node: ClusterTopology.Node) {
        guard error.code == .serverError, let message = error.message else { return nil }
        if message.hasPrefix("TRYAGAIN") || message.hasPrefix("CLUSTERDOWN") {
            self = .retry
            return
        }
        let parts = message.split(separator: " ")
        guard parts.count >= 3, parts[0] == "MOVED" || parts[0] == "ASK", let slot = Int(parts[1]),
            let colon = parts[2].lastIndex(of: ":"), let port = Int(parts[2][parts[2].index(after: colon)...])
        else { return nil }
        let host = String(parts[2][..<colon])
        let target = ClusterTopology.Node(host: host.isEmpty ? node.host : host, port: port)
        self = parts[0] == "MOVED" ? .moved(slot: slot, node: target) : .ask(slot: slot, node: target)
    }
}
