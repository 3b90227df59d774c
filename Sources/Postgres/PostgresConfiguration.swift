import Foundation

/// Where and how to connect to PostgreSQL; built from a `postgres://` URL or field by field.
///
/// `description` redacts the password, so a configuration is safe to log.
///
/// ```swift
/// let configuration = try PostgresConfiguration(url: "postgres://woodstock@127.0.0.1:55432/woodstock")
/// ```
public struct PostgresConfiguration: Sendable, CustomStringConvertible {
    /// Server host name or address (or a unix-socket directory starting with `/`).
    public var host: String
    /// Server port; default 5432.
    public var port: Int
    /// Role to log in as.
    public var user: String
    /// Password, if the server asks for one. Never printed.
    public var password: String?
    /// Database name.
    public var database: String
    /// Seconds to wait for a connection to be established; default 10.
    public var connectTimeoutSeconds: Int
    /// Most connections the pool opens at once; default 8.
    public var maximumConnections: Int
    /// Schemas set as `search_path` on every connection, or `nil` for the server default.
    public var searchPath: [String]?
    /// `application_name` shown in `pg_stat_activity`.
    public var applicationName: String
    /// How many distinct statements each connection keeps prepared (server-side, by text and parameter types),
    /// so a repeated statement skips parsing and, once PostgreSQL settles on a generic plan, planning; default 256.
    /// 0 sends every statement unprepared (needed behind a pooler in transaction mode). URL option
    /// `statement_cache`.
    public var statementCacheCapacity: Int = 256

    /// Creates a configuration field by field.
    public init(
        host: String = "127.0.0.1",
        port: Int = 5432,
        user: String,
        password: String? = nil,
        database: String,
        connectTimeoutSeconds: Int = 10,
        maximumConnections: Int = 8,
        searchPath: [String]? = nil,
        applicationName: String = "woodstock"
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.maximumConnections = maximumConnections
        self.searchPath = searchPath
        self.applicationName = applicationName
    }

    /// Parses `postgres://user[:password]@host[:port]/database[?max_connections=N&search_path=a,b]`
    /// (other options: `connect_timeout`, `application_name`, `statement_cache`).
    /// - Throws: ``PostgresError/Code/invalidURL`` naming the part that is wrong (never the password).
    public init(url: String) throws {
        guard let components = URLComponents(string: url),
            let scheme = components.scheme, scheme == "postgres" || scheme == "postgresql"
        else {
            throw PostgresError(.invalidURL, message: "expected postgres://user@host:port/database")
        }
        guard let user = components.user, !user.isEmpty else {
            throw PostgresError(.invalidURL, message: "missing user in postgres URL")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else {
            throw PostgresError(.invalidURL, message: "missing database name in postgres URL")
        }
        self.init(
            host: components.host ?? "127.0.0.1",
            port: components.port ?? 5432,
            user: user.removingPercentEncoding ?? user,
            password: components.password.map { $0.removingPercentEncoding ?? $0 },
            database: database
        )
        for item in components.queryItems ?? [] {
            switch item.name {
            case "max_connections", "pool_size":
                guard let value = item.value.flatMap(Int.init), value > 0 else {
                    throw PostgresError(.invalidURL, message: "\(item.name) must be a positive integer")
                }
                maximumConnections = value
            case "connect_timeout":
                guard let value = item.value.flatMap(Int.init), value > 0 else {
                    throw PostgresError(.invalidURL, message: "connect_timeout must be a positive integer")
                }
                connectTimeoutSeconds = value
            case "search_path":
                searchPath = item.value?.split(separator: ",").map(String.init)
            case "application_name":
                applicationName = item.value ?? applicationName
            case "statement_cache":
                guard let value = item.value.flatMap(Int.init), value >= 0 else {
                    throw PostgresError(.invalidURL, message: "statement_cache must be a non-negative integer")
                }
                statementCacheCapacity = value
            default:
                throw PostgresError(.invalidURL, message: "unknown postgres URL option \(item.name)")
            }
        }
    }

    /// The URL without the password: `postgres://user:********@host:port/database`.
    public var description: String {
        let secret = password == nil ? "" : ":********"
        return "postgres://\(user)\(secret)@\(host):\(port)/\(database)"
    }

    /// libpq keyword/value pairs for `PQconnectdbParams`.
    var connectionParameters: [(String, String)] {
        var parameters: [(String, String)] = [
            ("host", host), ("port", String(port)), ("user", user), ("dbname", database),
            ("connect_timeout", String(connectTimeoutSeconds)), ("application_name", applicationName),
            ("client_encoding", "UTF8"),
        ]
        if let password { parameters.append(("password", password)) }
        // NOTICEs (e.g. "drop cascades to…") would otherwise be printed to stderr by libpq.
        var options = "-c client_min_messages=warning"
        if let searchPath, !searchPath.isEmpty {
            let quoted = searchPath.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            let escaped = quoted.joined(separator: ",").replacingOccurrences(of: " ", with: "\\ ")
            options += " -c search_path=\(escaped)"
        }
        parameters.append(("options", options))
        return parameters
    }
}
