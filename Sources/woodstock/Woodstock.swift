import ArgumentParser
import Foundation
import Relay

/// The `woodstock` command: argument parsing only; every command calls into `Relay`.
@main
struct Woodstock: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "woodstock",
        abstract: "Woodstock Relay: AI replies to Instagram, Messenger and webchat DMs, on a Redis job runner.",
        version: Relay.version,
        subcommands: [
            Serve.self, Work.self, Schedule.self, Enqueue.self, Queues.self, Dead.self, Migrate.self, Tenants.self,
            Connect.self, Tokens.self, ExportBilling.self, RotateKeys.self, RotateMasterKey.self,
            GenerateMasterKey.self, ShowConfig.self, HashPassword.self, Tools.self, TenantLogins.self,
        ]
    )
}

/// Flags every command shares; builds the one `Settings` value.
struct GlobalOptions: ParsableArguments {
    @Option(help: "Redis URL (REDIS_URL).") var redisURL: String?
    @Option(help: "PostgreSQL URL (DATABASE_URL).") var databaseURL: String?
    @Option(help: "Log level (LOG_LEVEL).") var logLevel: String?
    @Option(help: "Log format, text or json (LOG_FORMAT).") var logFormat: String?

    /// The process environment: the one place that reads it.
    var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// Builds the settings and installs logging; fails naming the variable that is wrong.
    func bootstrap(_ extra: [String: String] = [:]) throws -> Settings {
        var overrides = extra
        overrides["REDIS_URL"] = redisURL
        overrides["DATABASE_URL"] = databaseURL
        overrides["LOG_LEVEL"] = logLevel
        overrides["LOG_FORMAT"] = logFormat
        do {
            let settings = try Settings(environment: environment, overrides: overrides)
            Relay.bootstrapLogging(settings)
            return settings
        } catch let error as SettingsError {
            throw ValidationError(error.description)
        }
    }
}

/// `woodstock config`: prints the effective settings without secrets.
struct ShowConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Print the effective settings (secrets redacted).")
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        print(try options.bootstrap())
    }
}
