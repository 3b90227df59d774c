import Foundation
import Logging
import Postgres
import TestSupport
import Testing

@Suite struct PostgresReconnectTests {
    @Test("a pool reconnects after its (private) server restarts")
    func reconnectAfterRestart() async throws {
        let server = try PostgresPrivateServer()
        defer { server.destroy() }
        var configuration = try PostgresConfiguration(url: server.url)
        configuration.maximumConnections = 2
        let pool = PostgresPool(configuration: configuration, logger: Logger(label: "test.reconnect"))
        let before = try await pool.query("SELECT pg_backend_pid()").first?.decode(Int.self, at: 0)
        try server.stop()
        await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
        try server.start()
        let after = try await pool.query("SELECT pg_backend_pid()").first?.decode(Int.self, at: 0)
        #expect(after != nil && after != before)
        let value = try await pool.query("SELECT \(41) + 1").first?.decode(Int.self, at: 0)
        #expect(value == 42)
        await pool.close()
    }
}
