import Foundation
public import Logging

/// Every setting of Woodstock Relay, built in one place (the `woodstock` command) from flags,
/// environment variables and documented defaults, then handed out by typed part.
///
/// Flags override environment variables, which override defaults. Secrets come only from the
/// environment or from files, never from a default, and ``description`` never prints them.
public struct Settings: Sendable, CustomStringConvertible {
    /// Redis address, e.g. `redis://127.0.0.1:6379/0` or `unix:///run/redis.sock`. `REDIS_URL`.
    public var redisURL: String
    /// PostgreSQL address, e.g. `postgres://user@127.0.0.1:5432/db`. `DATABASE_URL`.
    public var databaseURL: String
    /// Minimum log level. `LOG_LEVEL`, default `info`.
    public var logLevel: Logger.Level
    /// `text` for people, `json` for log shippers. `LOG_FORMAT`, default `text`.
    public var logFormat: LogFormat

    /// How log lines are written.
    public enum LogFormat: String, Sendable, CaseIterable {
        /// Human-readable lines.
        case text
        /// One JSON object per line.
        case json
    }

    /// Creates settings from an environment dictionary and flag overrides.
    ///
    /// - Parameters:
    ///   - environment: the process environment (only the `woodstock` command passes the real one).
    ///   - overrides: values given as command-line flags, by environment variable name.
    /// - Throws: ``SettingsError`` naming the variable whose value is invalid.
    public init(environment: [String: String], overrides: [String: String] = [:]) throws {
        let value = { (name: String) -> String? in overrides[name] ?? environment[name] }
        redisURL = value("REDIS_URL") ?? "redis://127.0.0.1:6379/0"
        databaseURL = value("DATABASE_URL") ?? "postgres://woodstock@127.0.0.1:5432/woodstock"
        let level = value("LOG_LEVEL") ?? "info"
        guard let parsedLevel = Logger.Level(rawValue: level) else {
            throw SettingsError(
                variable: "LOG_LEVEL", problem: "must be one of trace, debug, info, notice, warning, error, critical")
        }
        logLevel = parsedLevel
        let format = value("LOG_FORMAT") ?? "text"
        guard let parsedFormat = LogFormat(rawValue: format) else {
            throw SettingsError(variable: "LOG_FORMAT", problem: "must be text or json")
        }
        logFormat = parsedFormat
    }

    /// The settings without secrets, for `woodstock config` and start-up logs.
    public var description: String {
        "redis=\(redactingPassword(redisURL)) postgres=\(redactingPassword(databaseURL)) log=\(logLevel)/\(logFormat.rawValue)"
    }
}

/// A setting that is missing or invalid; names the variable, never its (possibly secret) value.
public struct SettingsError: Error, Sendable, CustomStringConvertible {
    /// The environment variable (or flag) that is wrong.
    public let variable: String
    /// What is wrong with it.
    public let problem: String

    /// A message for the operator, e.g. `WOODSTOCK_MASTER_KEY: missing`.
    public var description: String { "\(variable): \(problem)" }
}

/// Replaces the password in a `scheme://user:password@host` URL with asterisks.
func redactingPassword(_ url: String) -> String {
    guard let schemeEnd = url.range(of: "://"), let at = url.range(of: "@", range: schemeEnd.upperBound..<url.endIndex)
    else { return url }
    let userInfo = url[schemeEnd.upperBound..<at.lowerBound]
    guard let colon = userInfo.firstIndex(of: ":") else { return url }
    return String(url[..<colon]) + ":********" + String(url[at.lowerBound...])
}
