public import ArgumentParser
import Relay
public import Store

/// `woodstock tenants add|list|show|set-tier|set-persona|set-email|disable`.
struct Tenants: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage tenants (every change is audited).",
        subcommands: [Add.self, List.self, Show.self, SetTier.self, SetPersona.self, SetEmail.self, Disable.self])

    /// Flags shared by the tenant subcommands.
    struct Common: ParsableArguments {
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Print JSON for scripts.") var json = false

        func withAdmin(_ body: (TenantAdmin) async throws -> String) async throws {
            try await options.printing(
                { try TenantAdmin(settings: $0, actor: "cli", logger: Relay.logger("woodstock.tenants")) }, body)
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a tenant.")
        @OptionGroup var common: Common
        @Argument(help: "The business's name.") var name: String
        @Option(help: "starter, professional or enterprise.") var tier: Tier = .starter
        @Option(help: "The assistant's name.") var personaName: String?
        @Option(help: "The assistant's instructions (tone, business facts).") var instructions: String?
        @Option(help: "Contact address for notices (usage 80 %/100 %, re-authorisation).") var email: String?
        @Option(name: .customLong("setting"), help: PersonaSettingOption.help) var settings: [String] = []

        func run() async throws {
            let persona = Persona(
                name: personaName, instructions: instructions, settings: try PersonaSettingOption.settings(settings))
            try await common.withAdmin { admin in
                let tenant = try await admin.add(name: name, tier: tier, persona: persona, email: email)
                return common.json ? try TenantAdmin.jsonString(tenant) : "created tenant \(tenant.id)"
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tenants.")
        @OptionGroup var common: Common

        func run() async throws {
            try await common.withAdmin { admin in try TenantAdmin.render(try await admin.list(), json: common.json) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one tenant and its integrations.")
        @OptionGroup var common: Common
        @Argument(help: "Tenant id.") var tenant: TenantID

        func run() async throws {
            try await common.withAdmin { admin in
                let (found, integrations) = try await admin.show(tenant)
                if common.json {
                    return try TenantAdmin.jsonString(TenantDetail(tenant: found, integrations: integrations))
                }
                var lines = [TenantAdmin.renderOne(found)]
                for integration in integrations { lines.append("  " + TenantAdmin.renderOne(integration)) }
                return lines.joined(separator: "\n")
            }
        }
    }

    struct SetTier: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-tier", abstract: "Change a tenant's tier.")
        @OptionGroup var common: Common
        @Argument(help: "Tenant id.") var tenant: TenantID
        @Argument(help: "starter, professional or enterprise.") var tier: Tier

        func run() async throws {
            try await common.withAdmin { admin in TenantAdmin.renderOne(try await admin.setTier(tier, for: tenant)) }
        }
    }

    struct SetPersona: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-persona", abstract: "Replace a tenant's assistant persona.")
        @OptionGroup var common: Common
        @Argument(help: "Tenant id.") var tenant: TenantID
        @Option(help: "The assistant's name.") var name: String?
        @Option(help: "The assistant's instructions.") var instructions: String?
        @Option(name: .customLong("setting"), help: PersonaSettingOption.help) var settings: [String] = []

        func run() async throws {
            let persona = Persona(
                name: name, instructions: instructions, settings: try PersonaSettingOption.settings(settings))
            try await common.withAdmin { admin in
                TenantAdmin.renderOne(try await admin.setPersona(persona, for: tenant))
            }
        }
    }

    struct SetEmail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-email", abstract: "Set or clear a tenant's contact address for notices.")
        @OptionGroup var common: Common
        @Argument(help: "Tenant id.") var tenant: TenantID
        @Argument(help: "The address; omit it with --clear.") var email: String?
        @Flag(help: "Remove the address.") var clear = false
        @Flag(inversion: .prefixedEnableDisable, help: "Whether notices are mailed (default: unchanged).")
        var notices: Bool?

        func validate() throws {
            guard (email == nil) == clear else { throw ValidationError("give an address or --clear, not both") }
        }

        func run() async throws {
            try await common.withAdmin { admin in
                TenantAdmin.renderOne(try await admin.setEmail(email, noticesEnabled: notices, for: tenant))
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a tenant (no more AI replies).")
        @OptionGroup var common: Common
        @Argument(help: "Tenant id.") var tenant: TenantID

        func run() async throws {
            try await common.withAdmin { admin in TenantAdmin.renderOne(try await admin.disable(tenant)) }
        }
    }
}

extension Tier: ExpressibleByArgument {}

extension TenantID: ExpressibleByArgument {
    /// Parses a tenant id given on the command line.
    public init?(argument: String) { self.init(argument) }
}
