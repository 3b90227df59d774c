import ArgumentParser
import Relay

/// `woodstock migrate [--status]`.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations, or list them.")
    @OptionGroup var options: GlobalOptions
    @Flag(help: "List migrations and when each was applied, change nothing.") var status = false

    func run() async throws {
        let settings = try options.bootstrap()
        let logger = Relay.logger("woodstock.migrate")
        let lines =
            status
            ? try await Relay.migrationStatus(settings, logger: logger)
            : try await Relay.migrate(settings, logger: logger)
        lines.forEach { print($0) }
    }
}

/// `woodstock rotate-keys`.
struct RotateKeys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-keys", abstract: "Re-encrypt every token under a new data key; retire the old key.")
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let settings = try options.bootstrap()
        print(try await Relay.rotateKeys(settings, logger: Relay.logger("woodstock.rotate-keys")))
    }
}

/// `woodstock rotate-master-key` (the new key comes from WOODSTOCK_NEW_MASTER_KEY, never a flag).
struct RotateMasterKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-master-key",
        abstract: "Re-wrap every data key under the master key in WOODSTOCK_NEW_MASTER_KEY.")
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let settings = try options.bootstrap()
        guard let newKey = options.environment["WOODSTOCK_NEW_MASTER_KEY"] else {
            throw ValidationError("WOODSTOCK_NEW_MASTER_KEY: missing")
        }
        print(try await Relay.rotateMasterKey(settings, newMasterKey: newKey, logger: Relay.logger("woodstock.keys")))
    }
}

/// `woodstock generate-master-key`.
struct GenerateMasterKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-master-key", abstract: "Print a new random 256-bit master key (base64).")

    func run() async throws { print(try Relay.generateMasterKey()) }
}

/// `woodstock connect instagram|facebook TENANT`.
struct Connect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the OAuth authorize URL that connects a tenant's Instagram account or Facebook Page.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "instagram or facebook.") var platform: String
    @Argument(help: "Tenant id.") var tenant: String

    func run() async throws {
        let settings = try options.bootstrap()
        print(
            try await Relay.authorizeURL(
                settings, tenant: tenant, platform: platform, logger: Relay.logger("woodstock.connect")))
    }
}

/// `woodstock tokens`.
struct Tokens: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Integrations by status and days to token expiry.")
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        print(try await Relay.tokensReport(try options.bootstrap(), logger: Relay.logger("woodstock.tokens")))
    }
}

/// `woodstock export-billing --period 2026-11 [--out FILE]`.
struct ExportBilling: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-billing", abstract: "Write the billing CSV of a period (YYYY-MM, previous or current).")
    @OptionGroup var options: GlobalOptions
    @Option(help: "YYYY-MM, previous or current.") var period = "previous"
    @Option(help: "Write FILE and FILE.sha256 instead of printing.") var out: String?

    func run() async throws {
        print(
            try await Relay.exportBilling(
                try options.bootstrap(), period: period, out: out, logger: Relay.logger("woodstock.export")))
    }
}
