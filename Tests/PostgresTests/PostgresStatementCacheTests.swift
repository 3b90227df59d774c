import Foundation
import Logging
import Postgres
import TestSupport
import Testing

@Suite struct PostgresStatementCacheTests {
    /// The statements this session has prepared (run on the pool's only connection).
    static func preparedCount(_ pool: PostgresPool) async throws -> Int {
        try await pool.query("SELECT count(*)::int8 FROM pg_prepared_statements").first?.decode(Int.self, at: 0) ?? -1
    }

    @Test("a repeated statement is prepared once per connection and keeps giving the right rows")
    func preparedOnce() async throws {
        try await withTestPostgres(maximumConnections: 1) { pool, _ in
            try await pool.query("CREATE TABLE items (id int8 PRIMARY KEY, name text NOT NULL)")
            for id in 1...12 {
                try await pool.query("INSERT INTO items (id, name) VALUES (\(id), \("item \(id)"))")
            }
            // Past PostgreSQL's five custom plans, so a generic plan is in use for the later runs.
            for id in 1...12 {
                let name = try await pool.query("SELECT name FROM items WHERE id = \(id)").first?.decode(
                    String.self, at: 0)
                #expect(name == "item \(id)")
            }
            // CREATE TABLE, INSERT, SELECT, and the count itself: one server-side statement each.
            #expect(try await Self.preparedCount(pool) == 4)
        }
    }

    @Test("a schema change that alters a prepared statement's result is retried transparently outside a transaction")
    func staleStatement() async throws {
        try await withTestPostgres(maximumConnections: 1) { pool, _ in
            try await pool.query("CREATE TABLE notes (id int8 PRIMARY KEY)")
            try await pool.query("INSERT INTO notes (id) VALUES (\(1))")
            #expect(try await pool.query("SELECT * FROM notes").columns == ["id"])
            try await pool.query("ALTER TABLE notes ADD COLUMN body text NOT NULL DEFAULT 'hello'")
            let rows = try await pool.query("SELECT * FROM notes")
            #expect(rows.columns == ["id", "body"])
            #expect(try rows.first?.decode(String.self, column: "body") == "hello")
        }
    }

    @Test("statement_cache=0 runs everything unprepared; a bad value is refused")
    func cacheOff() async throws {
        var configuration = try PostgresConfiguration(url: TestEnvironment.databaseURL)
        configuration.maximumConnections = 1
        configuration.statementCacheCapacity = 0
        let pool = PostgresPool(configuration: configuration, logger: Logger(label: "test.postgres"))
        for value in 1...3 {
            #expect(try await pool.query("SELECT \(value)::int8").first?.decode(Int.self, at: 0) == value)
        }
        #expect(try await Self.preparedCount(pool) == 0)
        await pool.close()
        #expect(try PostgresConfiguration(url: "postgres://u@h/d?statement_cache=0").statementCacheCapacity == 0)
        #expect(try PostgresConfiguration(url: "postgres://u@h/d").statementCacheCapacity == 256)
        #expect(throws: PostgresError.self) { try PostgresConfiguration(url: "postgres://u@h/d?statement_cache=-1") }
    }
}
