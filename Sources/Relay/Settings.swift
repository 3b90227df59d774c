public import CustomTools
import Foundation
public import Logging
public import Redis
public import Vault

/// Every setting of Woodstock Relay, built in one place (the `woodstock` command) from flags,
/// environment variables and documented defaults. Each module gets its typed part.
///
/// Flags override environment variables, which override defaults. Secrets come only from the
/// environment or from files, never from a default, and ``description`` never prints them.
public struct Settings: Sendable, CustomStringConvertible {
    /// Redis address: `redis://[:password@]host:port/db` or `unix:///path?db=N`. `REDIS_URL`.
    public var redisURL: String
    /// Whether plain commands share one automatically pipelined connection on a standalone Redis.
    /// `WOODSTOCK_REDIS_SHARED_CONNECTION` (`on` default, `off`: every command through the pool).
    public var redisSharesConnection: Bool
    /// Whether the webhook answers 200 only after a Redis replica has the enqueue. `WOODSTOCK_DURABLE_ENQUEUE`
    /// (`auto` default, `on`, `off`) and `WOODSTOCK_DURABLE_ENQUEUE_TIMEOUT_MS`; see `Settings+DurableEnqueue.swift`.
    public var durableEnqueue: RedisDurability
    /// PostgreSQL address: `postgres://user[:password]@host:port/db`. `DATABASE_URL`.
    public var databaseURL: String
    /// A read-only PostgreSQL replica for dashboards, exports and reports; unset: they read the primary.
    /// `DATABASE_REPLICA_URL`.
    public var databaseReplicaURL: String?
    /// Minimum log level. `LOG_LEVEL`, default `info`.
    public var logLevel: Logger.Level
    /// `text` for people, `json` for log shippers. `LOG_FORMAT`, default `text`.
    public var logFormat: LogFormat
    /// Address `serve` listens on. `WOODSTOCK_HOST`, default `127.0.0.1`.
    public var host: String
    /// Port `serve` listens on. `WOODSTOCK_PORT`, default `8080`.
    public var port: Int
    /// The public base URL of `serve`, used for OAuth redirects. `WOODSTOCK_PUBLIC_URL`.
    public var publicURL: String
    /// Port on which `work` and `schedule` serve `/metrics` (Prometheus); unset: none. `WOODSTOCK_METRICS_PORT`.
    public var metricsPort: Int?
    /// Folder of job definitions. `WOODSTOCK_JOBS_DIR`, default `jobs`.
    public var jobsDirectory: String
    /// The schedule file. `WOODSTOCK_CRONTAB`, default `crontab`.
    public var crontabPath: String
    /// Where `export-billing` writes CSV files. `WOODSTOCK_EXPORT_DIR`, default `var/exports`.
    public var exportDirectory: String
    /// Jobs one `work` process runs at once. `WOODSTOCK_CONCURRENCY`, default `64`.
    public var workerConcurrency: Int
    /// How long a running job's lease lasts without a heartbeat; a killed worker's jobs run again after it.
    /// `WOODSTOCK_LEASE_SECONDS`, default `30`.
    public var leaseSeconds: Int
    /// Queues a `work` process serves, highest priority first. `WOODSTOCK_QUEUES`, default all in `jobs/`.
    public var workerQueues: [String]
    /// Master key (base64 or hex, 32 bytes) wrapping the data keys. `WOODSTOCK_MASTER_KEY`, or a file
    /// named by `WOODSTOCK_MASTER_KEY_FILE`. Validated by the vault when a command needs it.
    public var masterKey: Secret?
    /// Meta (Facebook Login) app secret, for webhook signatures and OAuth. `META_APP_SECRET`.
    public var metaAppSecret: Secret?
    /// Instagram Login app secret, for webhook signatures and OAuth. `INSTAGRAM_APP_SECRET`.
    public var instagramAppSecret: Secret?
    /// The string Meta echoes in the webhook verification handshake. `META_VERIFY_TOKEN`.
    public var metaVerifyToken: Secret?
    /// Bearer token for operator endpoints such as `POST /auth/{platform}/start`. `WOODSTOCK_ADMIN_TOKEN`.
    public var adminToken: Secret?
    /// The operator dashboard's password hash (`pbkdf2-sha256$…`, from `woodstock hash-password`); unset: no
    /// `/admin`. `WOODSTOCK_ADMIN_PASSWORD_HASH`.
    public var adminPasswordHash: Secret?
    /// Meta app id (Facebook Login). `META_APP_ID`.
    public var metaAppID: String?
    /// Instagram app id (Instagram Login). `INSTAGRAM_APP_ID`.
    public var instagramAppID: String?
    /// Graph API version path segment. `META_GRAPH_VERSION`, default `v24.0`.
    public var graphVersion: String
    /// `GRAPH_INSTAGRAM_URL`, default `https://graph.instagram.com`.
    public var graphInstagramURL: String
    /// `GRAPH_FACEBOOK_URL`, default `https://graph.facebook.com`.
    public var graphFacebookURL: String
    /// `INSTAGRAM_API_URL`, default `https://api.instagram.com` (OAuth code exchange).
    public var instagramAPIURL: String
    /// `INSTAGRAM_WWW_URL`, default `https://www.instagram.com` (OAuth authorize page).
    public var instagramWWWURL: String
    /// `FACEBOOK_WWW_URL`, default `https://www.facebook.com` (Facebook Login dialog).
    public var facebookWWWURL: String
    /// OpenAI-compatible base URL. `LLM_BASE_URL`, default `https://api.openai.com`.
    public var llmBaseURL: String
    /// Chat model. `LLM_MODEL`, default `gpt-4o-mini`.
    public var llmModel: String
    /// LLM API key. `LLM_API_KEY`.
    public var llmAPIKey: Secret?
    /// SMTP server for notices, e.g. `smtp://127.0.0.1:2525`; unset disables e-mail. `SMTP_URL`.
    public var smtpURL: String?
    /// Sender address of notices. `SMTP_FROM`, default `relay@localhost`.
    public var smtpFrom: String
    /// An operator address that gets a copy of every tenant notice. `NOTICE_OPERATOR_EMAIL`, unset: none.
    public var noticeOperatorEmail: String?
    /// Tenants' own tools (signed webhooks): network policy and limits. `WOODSTOCK_TOOLS_*`, see
    /// `Settings+CustomTools.swift`.
    public var customTools: CustomToolSettings

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
        let value = { (name: String) -> String? in
            let raw = overrides[name] ?? environment[name]
            return raw?.isEmpty == true ? nil : raw
        }
        redisURL = value("REDIS_URL") ?? "redis://127.0.0.1:6379/0"
        redisSharesConnection = try Self.parse(
            "WOODSTOCK_REDIS_SHARED_CONNECTION", value("WOODSTOCK_REDIS_SHARED_CONNECTION") ?? "on", "on|off"
        ) { ["on": true, "off": false][$0] }
        durableEnqueue = try Self.durableEnqueueSetting(value)
        databaseURL = value("DATABASE_URL") ?? "postgres://woodstock@127.0.0.1:5432/woodstock"
        databaseReplicaURL = value("DATABASE_REPLICA_URL")
        logLevel = try Self.parse(
            "LOG_LEVEL", value("LOG_LEVEL") ?? "info", "trace|debug|info|notice|warning|error|critical"
        ) {
            Logger.Level(rawValue: $0)
        }
        logFormat = try Self.parse("LOG_FORMAT", value("LOG_FORMAT") ?? "text", "text|json") { LogFormat(rawValue: $0) }
        host = value("WOODSTOCK_HOST") ?? "127.0.0.1"
        port = try Self.parse("WOODSTOCK_PORT", value("WOODSTOCK_PORT") ?? "8080", "a port 1...65535") {
            Int($0).flatMap { (1...65535).contains($0) ? $0 : nil }
        }
        publicURL = value("WOODSTOCK_PUBLIC_URL") ?? "http://\(host):\(port)"
        metricsPort = try value("WOODSTOCK_METRICS_PORT").map { raw in
            try Self.parse("WOODSTOCK_METRICS_PORT", raw, "a port 1...65535") {
                Int($0).flatMap { (1...65535).contains($0) ? $0 : nil }
            }
        }
        jobsDirectory = value("WOODSTOCK_JOBS_DIR") ?? "jobs"
        crontabPath = value("WOODSTOCK_CRONTAB") ?? "crontab"
        exportDirectory = value("WOODSTOCK_EXPORT_DIR") ?? "var/exports"
        workerConcurrency = try Self.parse("WOODSTOCK_CONCURRENCY", value("WOODSTOCK_CONCURRENCY") ?? "64", "1...10000")
        {
            Int($0).flatMap { (1...10_000).contains($0) ? $0 : nil }
        }
        leaseSeconds = try Self.parse("WOODSTOCK_LEASE_SECONDS", value("WOODSTOCK_LEASE_SECONDS") ?? "30", "1...3600") {
            Int($0).flatMap { (1...3_600).contains($0) ? $0 : nil }
        }
        workerQueues = (value("WOODSTOCK_QUEUES") ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        if let inline = value("WOODSTOCK_MASTER_KEY") {
            masterKey = Secret(inline)
        } else if let path = value("WOODSTOCK_MASTER_KEY_FILE") {
            guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw SettingsError(variable: "WOODSTOCK_MASTER_KEY_FILE", problem: "cannot read the file it names")
            }
            masterKey = Secret(contents.trimmingCharacters(in: .whitespacesAndNewlines))
        } else {
            masterKey = nil
        }
        metaAppSecret = value("META_APP_SECRET").map(Secret.init)
        instagramAppSecret = value("INSTAGRAM_APP_SECRET").map(Secret.init)
        metaVerifyToken = value("META_VERIFY_TOKEN").map(Secret.init)
        adminToken = value("WOODSTOCK_ADMIN_TOKEN").map(Secret.init)
        adminPasswordHash = value("WOODSTOCK_ADMIN_PASSWORD_HASH").map(Secret.init)
        metaAppID = value("META_APP_ID")
        instagramAppID = value("INSTAGRAM_APP_ID")
        graphVersion = value("META_GRAPH_VERSION") ?? "v24.0"
        graphInstagramURL = value("GRAPH_INSTAGRAM_URL") ?? "https://graph.instagram.com"
        graphFacebookURL = value("GRAPH_FACEBOOK_URL") ?? "https://graph.facebook.com"
        instagramAPIURL = value("INSTAGRAM_API_URL") ?? "https://api.instagram.com"
        instagramWWWURL = value("INSTAGRAM_WWW_URL") ?? "https://www.instagram.com"
        facebookWWWURL = value("FACEBOOK_WWW_URL") ?? "https://www.facebook.com"
        llmBaseURL = value("LLM_BASE_URL") ?? "https://api.openai.com"
        llmModel = value("LLM_MODEL") ?? "gpt-4o-mini"
        llmAPIKey = value("LLM_API_KEY").map(Secret.init)
        smtpURL = value("SMTP_URL")
        smtpFrom = value("SMTP_FROM") ?? "relay@localhost"
        noticeOperatorEmail = value("NOTICE_OPERATOR_EMAIL")
        customTools = try Self.customToolSettings(value)
    }

    private static func parse<T>(_ variable: String, _ raw: String, _ expected: String, _ convert: (String) -> T?)
        throws -> T
    {
        guard let parsed = convert(raw) else { throw SettingsError(variable: variable, problem: "must be \(expected)") }
        return parsed
    }

    /// Fails with the variable's name when a setting a command needs is missing.
    ///
    /// - Parameter variable: e.g. `META_APP_SECRET`.
    /// - Returns: the secret.
    /// - Throws: ``SettingsError`` saying the variable is missing.
    public func require(_ secret: Secret?, _ variable: String) throws -> Secret {
        guard let secret else { throw SettingsError(variable: variable, problem: "missing") }
        return secret
    }

    /// The settings without secrets, for `woodstock config` and start-up logs.
    public var description: String {
        func shown(_ secret: Secret?) -> String { secret == nil ? "(unset)" : "(set)" }
        return """
            REDIS_URL=\(redactingPassword(redisURL))
            DATABASE_URL=\(redactingPassword(databaseURL)) \
            DATABASE_REPLICA_URL=\(databaseReplicaURL.map(redactingPassword) ?? "(unset)")
            LOG_LEVEL=\(logLevel) LOG_FORMAT=\(logFormat.rawValue)
            WOODSTOCK_HOST=\(host) WOODSTOCK_PORT=\(port) WOODSTOCK_METRICS_PORT=\(metricsPort.map(String.init) ?? "(unset)") WOODSTOCK_PUBLIC_URL=\(publicURL)
            WOODSTOCK_JOBS_DIR=\(jobsDirectory) WOODSTOCK_CRONTAB=\(crontabPath) WOODSTOCK_EXPORT_DIR=\(exportDirectory)
            WOODSTOCK_CONCURRENCY=\(workerConcurrency) WOODSTOCK_QUEUES=\(workerQueues.joined(separator: ",")) \
            WOODSTOCK_LEASE_SECONDS=\(leaseSeconds)
            WOODSTOCK_MASTER_KEY=\(shown(masterKey)) META_APP_SECRET=\(shown(metaAppSecret)) \
            INSTAGRAM_APP_SECRET=\(shown(instagramAppSecret)) META_VERIFY_TOKEN=\(shown(metaVerifyToken)) \
            LLM_API_KEY=\(shown(llmAPIKey)) WOODSTOCK_ADMIN_TOKEN=\(shown(adminToken)) WOODSTOCK_ADMIN_PASSWORD_HASH=\(shown(adminPasswordHash))
            META_APP_ID=\(metaAppID ?? "(unset)") INSTAGRAM_APP_ID=\(instagramAppID ?? "(unset)") META_GRAPH_VERSION=\(graphVersion)
            GRAPH_INSTAGRAM_URL=\(graphInstagramURL) GRAPH_FACEBOOK_URL=\(graphFacebookURL)
            INSTAGRAM_API_URL=\(instagramAPIURL) INSTAGRAM_WWW_URL=\(instagramWWWURL) FACEBOOK_WWW_URL=\(facebookWWWURL)
            LLM_BASE_URL=\(llmBaseURL) LLM_MODEL=\(llmModel)
            SMTP_URL=\(smtpURL.map(redactingPassword) ?? "(unset)") SMTP_FROM=\(smtpFrom) NOTICE_OPERATOR_EMAIL=\(noticeOperatorEmail ?? "(unset)")
            \(customToolsDescription)
            """
    }
}

/// A setting that is missing or invalid; names the variable, never its (possibly secret) value.
public struct SettingsError: Error, Sendable, CustomStringConvertible {
    /// The environment variable (or flag) that is wrong.
    public let variable: String
    /// What is wrong with it.
    public let problem: String

    /// Creates an error for one variable.
    public init(variable: String, problem: String) {
        self.variable = variable
        self.problem = problem
    }

    /// A message for the operator, e.g. `WOODSTOCK_MASTER_KEY: missing`.
    public var description: String { "\(variable): \(problem)" }
}

/// Replaces the password in a `scheme://user:password@host` URL with asterisks.
func redactingPassword(_ url: String) -> String {
    guard let schemeEnd = url.range(of: "://"),
        let at = url.range(of: "@", range: schemeEnd.upperBound..<url.endIndex)
    else { return url }
    let userInfo = url[schemeEnd.upperBound..<at.lowerBound]
    guard let colon = userInfo.firstIndex(of: ":") else { return url }
    return String(url[..<colon]) + ":********" + String(url[at.lowerBound...])
}
