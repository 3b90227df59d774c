import ArgumentParser
import Relay

/// `woodstock hash-password`: reads a password on standard input and prints the hash to put in
/// `WOODSTOCK_ADMIN_PASSWORD_HASH`. The password is never an argument (it would show in `ps` and history).
struct HashPassword: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash-password",
        abstract: "Hash the operator password read from stdin, for WOODSTOCK_ADMIN_PASSWORD_HASH.",
        discussion: "Example: printf '%s' \"$PASSWORD\" | woodstock hash-password")

    func run() async throws {
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("type the password on standard input")
        }
        do {
            print(try Relay.hashPassword(line))
        } catch let error as SettingsError {
            throw ValidationError(error.description)
        }
    }
}
