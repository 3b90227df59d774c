import Foundation
import Logging
import Postgres
import Relay
import TestSupport
import Testing

/// `DATABASE_REPLICA_URL`: reads go to a real streaming standby (a private primary + replica pair,
/// never the shared server), writes stay on the primary, and a killed replica degrades to the primary.
@Suite(.serialized) struct PostgresReplicaTests {
    @Test("the replica serves reads, refuses writes, and a killed replica falls back to the primary")
    func replicaServesReadsThenFallsBack() async throws {
        let primary = try await PostgresPrivateServer.make()
        defer { primary.destroy() }
        let logger = Logger(label: "test.replica")
        let setup = PostgresPool(configuration: try PostgresConfiguration(url: primary.url), logger: logger)
        try await setup.query("CREATE TABLE replica_probe (marker text)")
        await setup.close()
        let replica = try await PostgresPrivateReplica.make(primary: primary)
        defer { replica.destroy() }
        let settings = try Settings(
            environment: ["DATABASE_URL": primary.url, "DATABASE_REPLICA_URL": replica.url])
        let pool = try Relay.openPostgres(settings, logger: logger)
        let reads = try Relay.openReadPool(settings, primary: pool, logger: logger)

        let marker = UUID().uuidString
        try await pool.query("INSERT INTO replica_probe VALUES (\(marker))")
        #expect(try await Self.isInRecovery(pool) == false)

        #expect(reads.isUsingReplica)
        #expect(try await reads.read { try await Self.isInRecovery($0) } == true)
        // The write made on the primary after the base backup streams to the replica.
        let deadline = Date().addingTimeInterval(30)
        var seen = 0
        while seen == 0, Date() < deadline {
            seen = try await reads.read { pool in
                try await pool.query("SELECT count(*) FROM replica_probe WHERE marker = \(marker)").first?
                    .decode(Int.self, at: 0) ?? 0
            }
            if seen == 0 { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(seen == 1)
        // A write sent to the replica is refused (read-only transaction), so writes must use the primary.
        let refused = await #expect(throws: PostgresError.self) {
            try await reads.read { pool in try await pool.query("INSERT INTO replica_probe VALUES ('x')") }
        }
        #expect(refused?.sqlState == "25006")
        #expect(reads.fallbacks == 0)

        try await replica.killAsync()
        #expect(try await reads.read { try await Self.isInRecovery($0) } == false)
        #expect(reads.fallbacks == 1)
        #expect(!reads.isUsingReplica)
        // While marked lost, reads go straight to the primary without trying the replica again.
        #expect(try await reads.read { try await Self.isInRecovery($0) } == false)
        #expect(reads.fallbacks == 1)
        await reads.close()
        await pool.close()
    }

    @Test("a replica that was never reachable degrades to the primary; no setting reads the primary")
    func unreachableReplicaAndNoReplica() async throws {
        let primary = try await PostgresPrivateServer.make()
        defer { primary.destroy() }
        let logger = Logger(label: "test.replica")
        let closedPort = primary.port == 1 ? 2 : 1
        let settings = try Settings(
            environment: [
                "DATABASE_URL": primary.url,
                "DATABASE_REPLICA_URL": "postgres://postgres@127.0.0.1:\(closedPort)/postgres",
            ])
        let pool = try Relay.openPostgres(settings, logger: logger)
        let reads = try Relay.openReadPool(settings, primary: pool, logger: logger)
        #expect(try await reads.read { try await Self.isInRecovery($0) } == false)
        #expect(reads.fallbacks == 1)
        await reads.close()

        let plain = try Relay.openReadPool(
            try Settings(environment: ["DATABASE_URL": primary.url]), primary: pool, logger: logger)
        #expect(plain.replica == nil && !plain.isUsingReplica)
        #expect(try await plain.read { try await Self.isInRecovery($0) } == false)
        #expect(plain.fallbacks == 0)
        await pool.close()

        #expect(throws: SettingsError.self) {
            try Relay.openReadPool(
                try Settings(environment: ["DATABASE_URL": primary.url, "DATABASE_REPLICA_URL": "mysql://x"]),
                primary: pool, logger: logger)
        }
    }

    private static func isInRecovery(_ pool: PostgresPool) async throws -> Bool? {
        try await pool.query("SELECT pg_is_in_recovery()").first?.decode(Bool.self, at: 0)
    }
}
