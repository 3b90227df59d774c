import Foundation

/// Where and how to connect to Redis: address, credentials, database, pool size and timeouts.
///
/// Parse it from a URL with ``init(url:)``; `description` never shows the password.
///
/// ```swift
/// let configuration = try RedisConfiguration(url: "redis://:secret@127.0.0.1:6379/0")
/// ```
public struct RedisConfiguration: Sendable, CustomStringConvertible {
    /// The server's address.
    public enum Endpoint: Sendable, Hashable {
        /// A TCP host and port.
        case tcp(host: String, port: Int)
        /// A Unix domain socket path.
        case unixSocket(path: String)
    }

    /// The server's address.
    public var endpoint: Endpoint
    /// The password sent with `AUTH`, if any. Never logged.
    public var password: String?
    /// The database selected after connecting (default 0).
    public var database: Int
    /// The most connections the pool keeps open at once (default 8).
    public var poolSize: Int
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

    /// Parses `redis://[:password@]host[:port][/db]` or `unix:///path/to/socket[?db=N]`.
    /// - Parameter url: The URL; a missing port means 6379, a missing database means 0.
    /// - Throws: ``RedisError`` `.invalidURL` naming the part that is wrong (never the password).
    public init(url: String) throws {
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
        switch endpoint {
        case .tcp(let host, let port): return "redis://\(auth)\(host):\(port)/\(database)"
        case .unixSocket(let path): return "unix://\(auth)\(path)?db=\(database)"
        }
    }
}
