import Foundation

/// Where and how to connect to Redis: address, credentials, database, pool size and timeouts.
///
/// Parse it from a URL with ``init(url:)``; `description` never shows the password. Besides one server
/// (`redis://`, `unix://`), the URL selects a Redis Cluster (`redis+cluster://h:p,h:p`) or a
/// Sentinel-managed master (`redis+sentinel://h:p,h:p/mastername[/db]`); see ``Topology``.
///
/// ```swift
/// let configuration = try RedisConfiguration(url: "redis://:secret@127.0.0.1:6379/0")
/// let cluster = try RedisConfiguration(url: "redis+cluster://10.0.0.1:7000,10.0.0.2:7000")
/// ```
public struct RedisConfiguration: Sendable, CustomStringConvertible {
    /// The server's address.
    public enum Endpoint: Sendable, Hashable {
        /// A TCP host and port.
        case tcp(host: String, port: Int)
        /// A Unix domain socket path.
        case unixSocket(path: String)
    }

    /// How the servers are arranged.
    public enum Topology: Sendable, Hashable {
        /// One server at ``RedisConfiguration/endpoint`` (the default).
        case standalone
        /// A Redis Cluster; `seeds` are asked for the slot map, commands go to the slot's master.
        case cluster(seeds: [Endpoint])
        /// A master found through Sentinel: `sentinels` are asked for the current master of `masterName`.
        case sentinel(sentinels: [Endpoint], masterName: String)
    }

    /// The server's address (for cluster and Sentinel: the first seed or sentinel).
    public var endpoint: Endpoint
    /// Standalone, cluster or Sentinel (default standalone).
    public var topology: Topology = .standalone
    /// The password sent with `AUTH`, if any. Never logged.
    public var password: String?
    /// The database selected after connecting (default 0).
    public var database: Int
    /// The most connections the pool keeps open at once (default 8).
    public var poolSize: Int
    /// Whether plain commands share one automatically pipelined connection (standalone servers only); `false`
    /// sends every command through the pool. Default `true`.
    public var sharesConnection = true
    /// How long dialing may take (default 5 s).
    public var connectTimeout: Duration
    /// How long one command (or pipeline) may wait for its reply (default 10 s); blocking commands on
    /// dedicated connections wait longer by their own timeout.
    public var commandTimeout: Duration

    /// Creates a configuration from its parts.
    public init(
        endpoint: Endpoint,
        password: String? = nil,
        database: Int = 0,
        poolSize: Int = 8,
        connectTimeout: Duration = .seconds(5),
        commandTimeout: Duration = .seconds(10)
    ) {
        self.endpoint = endpoint
        self.password = password
        self.database = database
        self.poolSize = poolSize
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
    }

    /// Parses `redis://[:password@]host[:port][/db]`, `unix:///path/to/socket[?db=N]`,
    /// `redis+cluster://[:password@]host:port,host:port` or
    /// `redis+sentinel://[:password@]host:port,host:port/mastername[/db]` (the password is the data
    /// servers'; sentinels are asked without one).
    /// - Parameter url: The URL; a missing port means 6379 (26379 for a sentinel), a missing database means 0.
    /// - Throws: ``RedisError`` `.invalidURL` naming the part that is wrong (never the password).
    public init(url: String) throws {
        let lowered = url.lowercased()
        if lowered.hasPrefix("redis+cluster://") || lowered.hasPrefix("redis+sentinel://") {
            self = try Self.parseMultiHost(url)
            return
        }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            throw RedisError(.invalidURL, message: "not a URL (expected redis://host:port/db or unix:///path)")
        }
        let password = components.password.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding ?? $0 }
        switch scheme {
        case "redis":
            guard let host = components.host, !host.isEmpty else {
                throw RedisError(.invalidURL, message: "redis URL has no host")
            }
            let port = components.port ?? 6379
            guard (1...65_535).contains(port) else { throw RedisError(.invalidURL, message: "port out of range") }
            let path = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            var database = 0
            if !path.isEmpty {
                guard let value = Int(path), value >= 0 else {
                    throw RedisError(.invalidURL, message: "database must be a non-negative number")
                }
                database = value
            }
            self.init(endpoint: .tcp(host: host, port: port), password: password, database: database)
        case "unix":
            guard !components.path.isEmpty else { throw RedisError(.invalidURL, message: "unix URL has no path") }
            var database = 0
            if let text = components.queryItems?.first(where: { $0.name == "db" })?.value {
                guard let value = Int(text), value >= 0 else {
                    throw RedisError(.invalidURL, message: "db must be a non-negative number")
                }
                database = value
            }
            self.init(endpoint: .unixSocket(path: components.path), password: password, database: database)
        default:
            throw RedisError(.invalidURL, message: "unsupported scheme \(scheme) (expected redis or unix)")
        }
    }

    /// The address with the password masked, safe to log.
    public var description: String {
        let auth = password == nil ? "" : ":********@"
        switch topology {
        case .standalone: break
        case .cluster(let seeds): return "redis+cluster://\(auth)\(seeds.map(Self.hostPort).joined(separator: ","))"
        case .sentinel(let sentinels, let name):
            let hosts = sentinels.map(Self.hostPort).joined(separator: ",")
            return "redis+sentinel://\(auth)\(hosts)/\(name)/\(database)"
        }
        switch endpoint {
        case .tcp(let host, let port): return "redis://\(auth)\(host):\(port)/\(database)"
        case .unixSocket(let path): return "unix://\(auth)\(path)?db=\(database)"
        }
    }
}

extension RedisConfiguration {
    /// Parses the `redis+cluster://` and `redis+sentinel://` forms (several `host:port`, comma-separated).
    fileprivate static func parseMultiHost(_ url: String) throws -> RedisConfiguration {
        guard let schemeEnd = url.range(of: "://") else { throw RedisError(.invalidURL, message: "not a URL") }
        let isCluster = url[..<schemeEnd.lowerBound].lowercased() == "redis+cluster"
        var rest = String(url[schemeEnd.upperBound...])
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = String(rest[rest.index(after: at)...])
            let secret = credentials.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).last ?? ""
            password = secret.isEmpty ? nil : (secret.removingPercentEncoding ?? String(secret))
        }
        let parts = rest.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let hostList = parts.first, !hostList.isEmpty else {
            throw RedisError(.invalidURL, message: "no host:port list")
        }
        let defaultPort = isCluster ? 6379 : 26379
        let endpoints = try hostList.split(separator: ",").map { try endpoint(String($0), defaultPort: defaultPort) }
        guard let first = endpoints.first else { throw RedisError(.invalidURL, message: "no host:port list") }
        var configuration = RedisConfiguration(endpoint: first, password: password)
        if isCluster {
            guard parts.count == 1 || (parts.count == 2 && parts[1] == "0") else {
                throw RedisError(.invalidURL, message: "Redis Cluster has only database 0")
            }
            configuration.topology = .cluster(seeds: endpoints)
        } else {
            guard parts.count >= 2, !parts[1].isEmpty else {
                throw RedisError(
                    .invalidURL, message: "sentinel URL needs the master name: redis+sentinel://h:p,h:p/name")
            }
            if parts.count >= 3 {
                guard let database = Int(parts[2]), database >= 0 else {
                    throw RedisError(.invalidURL, message: "database must be a non-negative number")
                }
                configuration.database = database
            }
            configuration.topology = .sentinel(sentinels: endpoints, masterName: parts[1])
        }
        return configuration
    }

    private static func endpoint(_ text: String, defaultPort: Int) throws -> Endpoint {
        let pieces = text.split(separator: ":", omittingEmptySubsequences: false)
        guard let host = pieces.first, !host.isEmpty, pieces.count <= 2 else {
            throw RedisError(.invalidURL, message: "expected host:port in the host list")
        }
        var port = defaultPort
        if pieces.count == 2 {
            guard let value = Int(pieces[1]), (1...65_535).contains(value) else {
                throw RedisError(.invalidURL, message: "port out of range")
            }
            port = value
        }
        return .tcp(host: String(host), port: port)
    }

    fileprivate static func hostPort(_ endpoint: Endpoint) -> String {
        switch endpoint {
        case .tcp(let host, let port): return "\(host):\(port)"
        case .unixSocket(let path): return path
        }
    }
}
