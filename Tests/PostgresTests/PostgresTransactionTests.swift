import Foundation
import Postgres
import TestSupport
import Testing

@Suite struct PostgresTransactionTests {
    @Test("a failed statement rolls its transaction back")
    func rollback() async throws {
        try await withTestPostgres { pool, _ in
            try await pool.query("CREATE TABLE t (id int PRIMARY KEY)")
            await #expect(throws: PostgresError.self) {
                try await pool.transaction { conn in
                    try conn.query("INSERT INTO t VALUES (1)")
                    try conn.query("INSERT INTO t VALUES (1)")
                }
            }
            let count = try await pool.query("SELECT count(*) FROM t").first?.decode(Int.self, at: 0)
            #expect(count == 0)
            try await pool.transaction { conn in try conn.query("INSERT INTO t VALUES (2)") }
            let after = try await pool.query("SELECT count(*) FROM t").first?.decode(Int.self, at: 0)
            #expect(after == 1)
        }
    }

    @Test("a unique violation carries SQLSTATE 23505 and no bind value")
    func uniqueViolation() async throws {
        try await withTestPostgres { pool, _ in
            try await pool.query("CREATE TABLE u (email text CONSTRAINT u_email UNIQUE)")
            let email = "secret-value@example.com"
            try await pool.query("INSERT INTO u VALUES (\(email))")
            do {
                try await pool.query("INSERT INTO u VALUES (\(email))")
                Issue.record("duplicate insert succeeded")
            } catch let error as PostgresError {
                #expect(error.sqlState == "23505")
                #expect(error.isUniqueViolation)
                #expect(error.constraintName == "u_email")
                #expect(!error.description.contains(email))
            }
        }
    }

    @Test("a data exception does not echo the bind value")
    func dataExceptionHidesValue() async throws {
        try await withTestPostgres { pool, _ in
            let value = "not-a-number-secret"
            do {
                try await pool.query("SELECT \(value)::int")
                Issue.record("cast succeeded")
            } catch let error as PostgresError {
                #expect(error.sqlState == "22P02")
                #expect(!error.description.contains(value))
            }
        }
    }

    @Test("the pool never opens more than its maximum")
    func boundedPool() async throws {
        try await withTestPostgres(maximumConnections: 2) { pool, _ in
            let pids = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        try await pool.query("SELECT pg_backend_pid(), pg_sleep(0.02)").first?.decode(Int.self, at: 0)
                            ?? 0
                    }
                }
                return try await group.reduce(into: Set<Int>()) { $0.insert($1) }
            }
            #expect(pids.count <= 2)
            #expect(!pids.isEmpty)
        }
    }

    @Test("cancelling the task cancels the statement on the server")
    func cancellation() async throws {
        try await withTestPostgres { pool, _ in
            let task = Task { try await pool.query("SELECT pg_sleep(60)") }
            // Wait until the statement is running on the server, then cancel the task.
            var running = false
            for _ in 0..<500 where !running {
                let rows = try await pool.query(
                    "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)' AND state = 'active'")
                running = try rows.first?.decode(Int.self, at: 0) ?? 0 > 0
                if !running { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(running)
            task.cancel()
            do {
                _ = try await task.value
                Issue.record("pg_sleep finished despite cancellation")
            } catch let error as PostgresError {
                #expect(error.code == .cancelled)
                #expect(error.sqlState == "57014")
            }
            #expect(try await pool.query("SELECT 1").first?.decode(Int.self, at: 0) == 1)
        }
    }
}
