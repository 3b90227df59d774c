extension RedisConnection {
    /// Dials per the configuration's topology: the server itself (standalone), a cluster node with a
    /// ``ClusterRouter`` attached, or the master the sentinels name with a ``SentinelRouter`` attached.
    /// - Throws: ``RedisError`` `.connectionFailed` when no node / sentinel / master can be reached.
    static func open(configuration: RedisConfiguration, commandTimeout: Duration?) throws -> RedisConnection {
        switch configuration.topology {
        case .standalone:
            return try RedisConnection(configuration: configuration, commandTimeout: commandTimeout)
        case .cluster(let seeds):
            let topology = ClusterTopology.shared(seeds: seeds.compactMap(ClusterTopology.Node.init))
            var lastError = RedisError(.connectionFailed, message: "no cluster seed given")
            for node in topology.candidates {
                var nodeConfiguration = configuration
                nodeConfiguration.endpoint = .tcp(host: node.host, port: node.port)
                nodeConfiguration.topology = .standalone
                nodeConfiguration.database = 0
                do {
                    let anchor = try RedisConnection(configuration: nodeConfiguration, commandTimeout: commandTimeout)
                    let router = ClusterRouter(
                        topology: topology, anchorNode: node, configuration: nodeConfiguration,
                        commandTimeout: commandTimeout)
                    anchor.router = router
                    topology.noteReachable(node)
                    router.refreshIfNeeded(anchor)
                    return anchor
                } catch let error as RedisError {
                    // Tried last for a while: a pool redialing after a master died must not ask it first each time.
                    lastError = error
                    topology.noteUnreachable(node)
                }
            }
            throw lastError
        case .sentinel(let sentinels, let name):
            var masterConfiguration = configuration
            masterConfiguration.endpoint = try SentinelRouter.master(
                of: name, sentinels: sentinels, configuration: configuration)
            masterConfiguration.topology = .standalone
            let connection = try RedisConnection(configuration: masterConfiguration, commandTimeout: commandTimeout)
            let role = try connection.sendDirect(RedisCommand("ROLE")).array?.first?.string
            guard role == "master" else {
                throw RedisError(
                    .connectionFailed,
                    message: "sentinel named \(masterConfiguration.endpointDescription) as master of \(name), "
                        + "but it is a \(role ?? "server of unknown role") (failover in progress)")
            }
            connection.router = SentinelRouter()
            return connection
        }
    }

    /// The sockets a cluster router opened besides this one (`nil` outside cluster mode).
    var linkedSockets: RedisLinkedSockets? { (router as? ClusterRouter)?.linked }
}

extension ClusterTopology.Node {
    /// The node of a TCP endpoint (`nil` for a Unix socket, which a cluster cannot use).
    init?(_ endpoint: RedisConfiguration.Endpoint) {
        guard case .tcp(let host, let port) = endpoint else { return nil }
        self.init(host: host, port: port)
    }
}
