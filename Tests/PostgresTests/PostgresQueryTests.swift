import Foundation
import Postgres
import TestSupport
import Testing

@Suite struct PostgresQueryTests {
    @Test("injection attempts stay data")
    func injectionStaysData() async throws {
        try await withTestPostgres { pool, _ in
            try await pool.query("CREATE TABLE x (id serial PRIMARY KEY, name text NOT NULL)")
            let evil = "'; DROP TABLE x; --"
            try await pool.query("INSERT INTO x (name) VALUES (\(evil))")
            let rows = try await pool.query("SELECT name FROM x WHERE name = \(evil)")
            #expect(try rows.decode(String.self) == [evil])
            let count = try await pool.query("SELECT count(*) FROM x").first?.decode(Int.self, at: 0)
            #expect(count == 1)
        }
    }

    @Test("NULLs decode as nil and refuse non-optionals")
    func nulls() async throws {
        try await withTestPostgres { pool, _ in
            let none: String? = nil
            let rows = try await pool.query("SELECT \(none)::text, NULL::int8, NULL::bytea")
            let row = try #require(rows.first)
            let (text, number, bytes) = try row.decode((String?, Int?, [UInt8]?).self)
            #expect(text == nil && number == nil && bytes == nil)
            #expect(throws: PostgresError.self) { try row.decode(String.self, at: 0) }
        }
    }

    @Test("unicode and bytea with zero bytes round-trip")
    func unicodeAndBytes() async throws {
        try await withTestPostgres { pool, _ in
            let text = "Grüße 🌈 日本語 \u{202E}"
            let bytes: [UInt8] = [0, 1, 0, 255, 0, 0x5C, 0x27, 0]
            let many: [[UInt8]] = [[0, 0], [], [0xFF]]
            let rows = try await pool.query("SELECT \(text), \(bytes), octet_length(\(bytes)), \(many)")
            let row = try #require(rows.first)
            let (a, b, length, c) = try row.decode((String, [UInt8], Int, [[UInt8]]).self)
            #expect(a == text)
            #expect(b == bytes)
            #expect(length == bytes.count)
            #expect(c == many)
        }
    }

    @Test("typed values round-trip")
    func typedValues() async throws {
        try await withTestPostgres { pool, _ in
            let id = UUID()
            let date = Date(timeIntervalSince1970: 1_700_000_000.123456)
            let json = try PostgresJSON(encoding: ["tone": "friendly"])
            let scopes = ["instagram_basic", "instagram_manage_messages"]
            let rows = try await pool.query(
                "SELECT \(id), \(date), \(true), \(2.5), \(Int32(7)), \(Int64.max), \(json), \(scopes), 42::int2")
            let row = try #require(rows.first)
            let (u, d, b, f, i32, i64, j, s, small) = try row.decode(
                (UUID, Date, Bool, Double, Int32, Int64, PostgresJSON, [String], Int).self)
            #expect(u == id)
            #expect(abs(d.timeIntervalSince(date)) < 0.000_001)
            #expect(b && f == 2.5 && i32 == 7 && i64 == Int64.max && small == 42)
            #expect(try j.decode(as: [String: String].self) == ["tone": "friendly"])
            #expect(s == scopes)
            #expect(try row.decode(UUID.self, column: "?column?") == id)
        }
    }

    @Test("the explicit (sql, binds) form binds in order")
    func explicitBinds() async throws {
        try await withTestPostgres { pool, _ in
            let rows = try await pool.query(PostgresQuery(unsafeSQL: "SELECT $1::text || $2::text", binds: ["a", "b"]))
            #expect(try rows.first?.decode(String.self, at: 0) == "ab")
        }
    }

    @Test("a URL parses and its description hides the password")
    func configuration() throws {
        let config = try PostgresConfiguration(url: "postgres://app:s3cr3t@db.local:6543/main?max_connections=3")
        #expect(config.host == "db.local" && config.port == 6543 && config.database == "main")
        #expect(config.maximumConnections == 3 && config.password == "s3cr3t")
        #expect(!config.description.contains("s3cr3t"))
        #expect(throws: PostgresError.self) { try PostgresConfiguration(url: "http://x/y") }
        #expect(throws: PostgresError.self) { try PostgresConfiguration(url: "postgres://u@h/") }
    }
}
