/// One pipeline split across cluster nodes: single commands by slot, each `MULTI … EXEC` block split into
/// one transaction per slot (a cluster transaction must stay in one slot); replies reassembled in order,
/// the `EXEC` reply merged back into one array.
struct ClusterPipelineBatch {
    /// A command, or one slot's share of a transaction, bound for one node.
    struct Part {
        var node: ClusterTopology.Node
        /// The command (single) or the queued commands (transaction share), as indexes into the pipeline.
        var indices: [Int]
        /// The `MULTI` and `EXEC` indexes of the transaction this part belongs to.
        var transaction: (multi: Int, exec: Int)?
        var asking = false
        /// The slot the part's keys hash to (`nil`: keyless, sent to the fallback node).
        var slot: Int?
        /// Its node could not be dialed: look the slot up again in the next round's map.
        var reroute = false
    }

    private let commands: [RedisCommand]
    private let topology: ClusterTopology
    private(set) var pending: [Part] = []
    private var results: [Int: Result<RedisReply, RedisError>] = [:]
    private var transactions: [(multi: Int, exec: Int, inner: [Int])] = []
    private var execReplies: [Int: [(indices: [Int], reply: Result<RedisReply, RedisError>)]] = [:]

    init(commands: [RedisCommand], range: Range<Int>, topology: ClusterTopology, fallback: ClusterTopology.Node) {
        self.commands = commands
        self.topology = topology
        func node(_ route: ClusterRoute) -> ClusterTopology.Node {
            if case .slot(let slot) = route { return topology.node(forSlot: slot) ?? fallback }
            return fallback
        }
        func slot(_ route: ClusterRoute) -> Int? {
            if case .slot(let slot) = route { return slot }
            return nil
        }
        var index = range.lowerBound
        while index < range.upperBound {
            let isMulti = commands[index].upperName == "MULTI"
            guard isMulti, let exec = (index + 1..<range.upperBound).first(where: { commands[$0].upperName == "EXEC" })
            else {
                let route = ClusterRoute(commands[index])
                pending.append(Part(node: node(route), indices: [index], slot: slot(route)))
                index += 1
                continue
            }
            let inner = Array(index + 1..<exec)
            var slots: [ClusterRoute] = []
            var groups: [[Int]] = []
            for position in inner {
                var route = ClusterRoute(commands[position])
                if case .slot = route {} else { route = slots.first ?? route }
                if let group = slots.firstIndex(of: route) {
                    groups[group].append(position)
                } else {
                    slots.append(route)
                    groups.append([position])
                }
            }
            if groups.isEmpty { pending.append(Part(node: fallback, indices: [], transaction: (index, exec))) }
            for (route, group) in zip(slots, groups) {
                pending.append(Part(node: node(route), indices: group, transaction: (index, exec), slot: slot(route)))
            }
            transactions.append((index, exec, inner))
            index = exec + 1
        }
    }

    /// Removes the pending parts, grouped by node in order of first appearance.
    mutating func takePendingByNode() -> [(ClusterTopology.Node, [Part])] {
        var order: [ClusterTopology.Node] = []
        var groups: [ClusterTopology.Node: [Part]] = [:]
        for part in pending {
            if groups[part.node] == nil { order.append(part.node) }
            groups[part.node, default: []].append(part)
        }
        pending = []
        return order.map { ($0, groups[$0] ?? []) }
    }

    /// These parts' node could not be dialed (nothing was sent): they go back to `pending`, to be routed by the
    /// map ``reroute(fallback:)`` finds after the next refresh (a dead master's replica, once promoted).
    mutating func retryElsewhere(_ parts: [Part]) {
        for var part in parts {
            part.reroute = true
            part.asking = false
            pending.append(part)
        }
    }

    /// Routes the parts ``retryElsewhere(_:)`` sent back by the current map (keyless ones to `fallback`).
    mutating func reroute(fallback: ClusterTopology.Node) {
        for index in pending.indices where pending[index].reroute {
            pending[index].node = pending[index].slot.flatMap(topology.node(forSlot:)) ?? fallback
            pending[index].reroute = false
        }
    }

    /// The commands sent for one part.
    func wire(for part: Part) -> [RedisCommand] {
        if part.transaction != nil {
            return [RedisCommand("MULTI")] + part.indices.map { commands[$0] } + [RedisCommand("EXEC")]
        }
        let command = commands[part.indices[0]]
        return part.asking ? [RedisCommand("ASKING"), command] : [command]
    }

    /// Takes one node's replies; redirected parts go back to `pending` unless this is the `final` round.
    mutating func absorb(
        _ replies: [Result<RedisReply, RedisError>], for parts: [Part], at node: ClusterTopology.Node, final: Bool
    ) {
        var cursor = 0
        for part in parts {
            let count = wire(for: part).count
            let slice = Array(replies[cursor..<min(cursor + count, replies.count)])
            cursor += count
            guard let last = slice.last else { continue }
            if let transaction = part.transaction {
                let queued = Array(slice.dropFirst().dropLast())
                let redirect = queued.lazy.compactMap { reply -> ClusterRedirect? in
                    guard case .failure(let error) = reply else { return nil }
                    return ClusterRedirect(error, answeredBy: node)
                }.first
                if let redirect, !final {
                    requeue(part, redirect)
                    continue
                }
                for (index, reply) in zip(part.indices, queued) { results[index] = reply }
                execReplies[transaction.multi, default: []].append((part.indices, last))
            } else {
                if case .failure(let error) = last, let redirect = ClusterRedirect(error, answeredBy: node), !final {
                    requeue(part, redirect)
                    continue
                }
                results[part.indices[0]] = last
            }
        }
    }

    /// A node's connection failed: every command of these parts fails with `error`.
    mutating func fail(_ parts: [Part], with error: RedisError) {
        for part in parts {
            for index in part.indices { results[index] = .failure(error) }
            if let transaction = part.transaction {
                execReplies[transaction.multi, default: []].append((part.indices, .failure(error)))
            }
        }
    }

    /// Writes every reply into `output`, merging each transaction's `EXEC` arrays in command order.
    func finish(into output: inout [Result<RedisReply, RedisError>?]) {
        for (index, result) in results { output[index] = result }
        for transaction in transactions {
            output[transaction.multi] = .success(.status("OK"))
            var byIndex: [Int: RedisReply] = [:]
            var outcome: Result<RedisReply, RedisError>?
            for share in execReplies[transaction.multi] ?? [] {
                switch share.reply {
                case .failure(let error): outcome = outcome ?? .failure(error)
                case .success(.null): outcome = outcome ?? .success(.null)
                case .success(let reply):
                    for (index, element) in zip(share.indices, reply.array ?? []) { byIndex[index] = element }
                }
            }
            output[transaction.exec] = outcome ?? .success(.array(transaction.inner.map { byIndex[$0] ?? .null }))
        }
    }

    private mutating func requeue(_ part: Part, _ redirect: ClusterRedirect) {
        var part = part
        switch redirect {
        case .moved(let slot, let target):
            topology.move(slot: slot, to: target)
            part.node = target
            part.asking = false
        case .ask(_, let target):
            let waits = part.transaction != nil || ClusterRouter.waitsOnAsk(commands[part.indices[0]])
            if !waits {
                part.node = target
                part.asking = true
            }
        case .retry:
            topology.markStale()
        }
        pending.append(part)
    }
}
