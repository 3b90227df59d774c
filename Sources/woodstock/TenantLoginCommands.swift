import ArgumentParser
import Relay

/// `woodstock tenant-logins add TENANT EMAIL [--password-stdin]`.
struct TenantLogins: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant-logins", abstract: "Manage the logins of tenants' pages (/tenant).",
        subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a login for a tenant; without a password it logs in with e-mailed links.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Tenant id.") var tenant: String
        @Argument(help: "The login's e-mail address.") var email: String
        @Flag(help: "Read a password (at least 10 characters) from the first line of standard input.")
        var passwordStdin = false

        func run() async throws {
            let settings = try options.bootstrap()
            let password = passwordStdin ? readLine(strippingNewline: true) : nil
            print(
                try await Relay.addTenantLogin(
                    settings, tenant: tenant, email: email, password: password,
                    logger: Relay.logger("woodstock.tenant-logins")))
        }
    }
}
