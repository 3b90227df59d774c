import Foundation
import Logging
import Postgres
import TestSupport
import Testing

@Suite struct PostgresReconnectTests {
    @Test("a pool reconnects after its (private) server restarts")
    func reconnectAfterRestart() async throws {
        let server = try await PostgresPrivateServer.make()
        defer { server.destroy() }
        var configuration = try PostgresConfiguration(url: server.url)
        configuration.maximumConnections = 2
        let pool = PostgresPool(configuration: configuration, logger: Logger(label: "test.reconnect"))
        let before = try await pool.query("SELECT pg_backend_pid()").first?.decode(Int.self, at: 0)
        try await server.stopAsync()
        await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
        try await server.startAsync()
        let after = try await pool.query("SELECT pg_backend_pid()").first?.decode(Int.self, at: 0)
        #expect(after != nil && after != before)
        let value = try await pool.query("SELECT \(41) + 1").first?.decode(Int.self, at: 0)
        #expect(value == 42)
        await pool.close()
    }
}
