import Relay

/// An admin facade a command opens for one run and closes afterwards (its database pool).
protocol ClosableAdmin: Sendable {
    /// Releases the facade's connections.
    func close() async
}

extension TenantAdmin: ClosableAdmin {}
extension ToolsAdmin: ClosableAdmin {}

extension GlobalOptions {
    /// Loads the settings, opens an admin facade with `open`, prints what `body` returns, and closes the facade
    /// whether or not `body` throws.
    func printing<Admin: ClosableAdmin>(
        _ open: (Settings) throws -> Admin, _ body: (Admin) async throws -> String
    ) async throws {
        let admin = try open(try bootstrap())
        do {
            print(try await body(admin))
            await admin.close()
        } catch {
            await admin.close()
            throw error
        }
    }
}
