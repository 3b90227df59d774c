import ArgumentParser
import Foundation
import Relay
import Store
import Vault

/// `woodstock tools add|list|remove|rotate-secret|enable|disable`: a tenant's own assistant tools.
struct Tools: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage tenants' own assistant tools, called as signed HTTPS webhooks (enterprise tier).",
        subcommands: [Add.self, List.self, Remove.self, RotateSecret.self, Enable.self, Disable.self])

    /// Flags shared by the tool subcommands.
    struct Common: ParsableArguments {
        @OptionGroup var options: GlobalOptions
        @Option(help: "Tenant id.") var tenant: TenantID

        func withAdmin(_ body: (ToolsAdmin) async throws -> String) async throws {
            try await options.printing(
                { try ToolsAdmin(settings: $0, actor: "cli", logger: Relay.logger("woodstock.tools")) }, body)
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a tool; prints its signing secret once.",
            discussion: """
                Each call is POSTed to --url with the JSON body {"tool","arguments","tenant_id","conversation_id",\
                "call_id"} and the headers X-Woodstock-Timestamp (Unix seconds) and X-Woodstock-Signature: \
                sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" keyed with the secret>.
                """)
        @OptionGroup var common: Common
        @Option(help: "Function name the model calls (a-z, A-Z, 0-9, _ and -, at most 64).") var name: String
        @Option(help: "What the tool does, for the model.") var description: String
        @Option(help: #"JSON Schema of the arguments, e.g. {"type":"object","properties":{...}}."#)
        var parameters: String = #"{"type":"object","properties":{}}"#
        @Option(help: "The https:// endpoint.") var url: String
        @Option(help: "Call timeout in milliseconds (default 5000).") var timeoutMs: Int?

        func run() async throws {
            try await common.withAdmin { admin in
                let (tool, secret, isOffered) = try await admin.add(
                    tenantID: common.tenant, name: name, description: description, parametersJSON: parameters,
                    url: url, timeout: timeoutMs.map { .milliseconds($0) })
                var lines = [
                    "added tool \(tool.name) (\(tool.id.uuidString.lowercased()))",
                    "signing secret (shown once, store it now): \(secret.revealed())",
                ]
                if !isOffered {
                    lines.append(
                        "note: the tenant is not on the enterprise tier; its assistant will not offer the tool")
                }
                return lines.joined(separator: "\n")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a tenant's tools (never their secrets).")
        @OptionGroup var common: Common
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            try await common.withAdmin { admin in
                try ToolsAdmin.render(try await admin.list(tenantID: common.tenant), json: json)
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a tool.")
        @OptionGroup var common: Common
        @Option(help: "The tool's name.") var name: String

        func run() async throws {
            try await common.withAdmin { admin in
                try await admin.remove(tenantID: common.tenant, name: name)
                return "removed tool \(name)"
            }
        }
    }

    struct RotateSecret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-secret", abstract: "Replace a tool's signing secret; prints the new one once.")
        @OptionGroup var common: Common
        @Option(help: "The tool's name.") var name: String

        func run() async throws {
            try await common.withAdmin { admin in
                let secret = try await admin.rotateSecret(tenantID: common.tenant, name: name)
                return "new signing secret for \(name) (shown once; the old one no longer works): \(secret.revealed())"
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Offer a tool to the assistant again.")
        @OptionGroup var common: Common
        @Option(help: "The tool's name.") var name: String

        func run() async throws {
            try await common.withAdmin { admin in
                try await admin.setEnabled(true, tenantID: common.tenant, name: name)
                return "enabled tool \(name)"
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop offering a tool to the assistant.")
        @OptionGroup var common: Common
        @Option(help: "The tool's name.") var name: String

        func run() async throws {
            try await common.withAdmin { admin in
                try await admin.setEnabled(false, tenantID: common.tenant, name: name)
                return "disabled tool \(name)"
            }
        }
    }
}
