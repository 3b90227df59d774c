import Foundation
import Logging
import Postgres
import Store
import TestSupport
import Testing

@Suite struct MigratorTests {
    @Test("migrations apply once, are idempotent and listed by status")
    func idempotent() async throws {
        try await withTestPostgres { pool, _ in
            let migrator = Migrator(pool: pool, logger: Logger(label: "test"))
            let pending = try await migrator.status()
            #expect(pending.allSatisfy { $0.appliedAt == nil })
            let first = try await migrator.migrate()
            #expect(first.map(\.version) == Migration.all.map(\.version))
            let second = try await migrator.migrate()
            #expect(second.isEmpty)
            let status = try await migrator.status()
            #expect(status.count == Migration.all.count)
            #expect(status.allSatisfy { $0.appliedAt != nil })
        }
    }

    @Test("two migrators at once apply each migration exactly once")
    func concurrent() async throws {
        try await withTestPostgres { pool, schema in
            var configuration = pool.configuration
            configuration.searchPath = [schema]
            let other = PostgresPool(configuration: configuration, logger: Logger(label: "test"))
            let results = try await withThrowingTaskGroup(of: Int.self) { group in
                for candidate in [pool, other] {
                    group.addTask { try await Migrator(pool: candidate, logger: Logger(label: "test")).migrate().count }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            await other.close()
            #expect(results.reduce(0, +) == Migration.all.count)
            let rows = try await pool.query("SELECT count(*) FROM schema_migrations")
            #expect(try rows.first?.decode(Int.self, at: 0) == Migration.all.count)
        }
    }

    @Test("a migration edited after it was applied is refused")
    func editedMigration() async throws {
        try await withTestPostgres { pool, _ in
            try await Migrator(pool: pool, logger: Logger(label: "test")).migrate()
            var edited = Migration.all
            edited[0] = Migration(version: 1, name: edited[0].name, sql: edited[0].sql + "\n-- changed")
            await #expect(throws: StoreError.self) {
                try await Migrator(pool: pool, migrations: edited, logger: Logger(label: "test")).migrate()
            }
        }
    }

    @Test("a failing migration leaves nothing behind")
    func failingMigration() async throws {
        try await withTestPostgres { pool, _ in
            let broken = [Migration(version: 1, name: "broken", sql: "CREATE TABLE half (id int); SELECT 1/0;")]
            await #expect(throws: StoreError.self) {
                try await Migrator(pool: pool, migrations: broken, logger: Logger(label: "test")).migrate()
            }
            let rows = try await pool.query(
                "SELECT to_regclass('half') IS NULL, (SELECT count(*) FROM schema_migrations)")
            let (absent, count) = try #require(rows.first).decode((Bool, Int).self)
            #expect(absent && count == 0)
        }
    }

    @Test("the audit log refuses UPDATE, DELETE and TRUNCATE")
    func auditAppendOnly() async throws {
        try await withMigratedStore { repos, pool in
            try await repos.audit.record(AuditEntry(actor: "test", tenantID: nil, action: "test.event"))
            for statement in ["UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log"] {
                do {
                    try await pool.query(PostgresQuery(unsafeSQL: statement))
                    Issue.record("\(statement) succeeded")
                } catch let error as PostgresError {
                    #expect(error.sqlState == "42501")
                }
            }
            let events = try await repos.audit.listSystemEvents(actionPrefix: "test.")
            #expect(events.count == 1 && events.first?.actor == "test")
        }
    }
}
