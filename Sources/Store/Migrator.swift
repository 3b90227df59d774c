public import Foundation
public import Logging
public import Postgres

/// Applies ``Migration``s in order, each in its own transaction, recorded in `schema_migrations`.
///
/// Safe to run twice and from several processes at once: a session advisory lock (keyed by the current
/// schema) serialises migrators, and applied versions are skipped. A migration whose SQL changed after it
/// was applied is refused.
///
/// ```swift
/// let applied = try await Migrator(pool: pool, logger: logger).migrate()
/// ```
public struct Migrator: Sendable {
    /// One line of `woodstock migrate --status`.
    public struct Status: Sendable, Equatable {
        /// The migration version.
        public let version: Int
        /// The migration name.
        public let name: String
        /// When it was applied, or `nil` when pending.
        public let appliedAt: Date?
    }

    let pool: PostgresPool
    let migrations: [Migration]
    let logger: Logger

    /// Creates a migrator over `migrations` (default: every migration in the repository).
    public init(pool: PostgresPool, migrations: [Migration] = Migration.all, logger: Logger) {
        self.pool = pool
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.logger = logger
    }

    /// Applies every pending migration.
    /// - Returns: the migrations applied by this call (empty when the schema was up to date).
    /// - Throws: ``StoreError/Code/migrationFailed`` naming the version, or a `PostgresError`.
    @discardableResult
    public func migrate() async throws -> [Migration] {
        let migrations = self.migrations
        let logger = self.logger
        return try await pool.withConnection { conn in
            try conn.query("SELECT pg_advisory_lock(hashtext(current_schema() || '.woodstock.migrate'))")
            defer {
                _ = try? conn.query("SELECT pg_advisory_unlock(hashtext(current_schema() || '.woodstock.migrate'))")
            }
            try Self.createTable(conn)
            let applied = try Self.applied(conn)
            var done: [Migration] = []
            for migration in migrations {
                if let checksum = applied[migration.version] {
                    guard checksum == migration.checksum else {
                        throw StoreError(
                            .migrationFailed,
                            message: "migration \(migration.version) (\(migration.name)) changed after it was applied")
                    }
                    continue
                }
                do {
                    try conn.transaction { conn in
                        try conn.executeScript(unsafeSQL: migration.sql)
                        try conn.query(
                            """
                            INSERT INTO schema_migrations (version, name, checksum)
                            VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                            """)
                    }
                } catch {
                    throw StoreError(
                        .migrationFailed, message: "migration \(migration.version) (\(migration.name)): \(error)")
                }
                logger.info(
                    "migration applied",
                    metadata: ["migration.version": "\(migration.version)", "migration.name": "\(migration.name)"])
                done.append(migration)
            }
            return done
        }
    }

    /// Lists every known migration with the time it was applied (`nil` when pending).
    /// - Throws: a `PostgresError`.
    public func status() async throws -> [Status] {
        let migrations = self.migrations
        return try await pool.withConnection { conn in
            try Self.createTable(conn)
            let rows = try conn.query("SELECT version, applied_at FROM schema_migrations")
            var appliedAt: [Int: Date] = [:]
            for row in rows {
                let (version, at) = try row.decode((Int, Date).self)
                appliedAt[version] = at
            }
            return migrations.map { Status(version: $0.version, name: $0.name, appliedAt: appliedAt[$0.version]) }
        }
    }

    private static func createTable(_ conn: PostgresConnection) throws {
        try conn.executeScript(
            unsafeSQL: """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
    }

    private static func applied(_ conn: PostgresConnection) throws -> [Int: String] {
        var applied: [Int: String] = [:]
        for row in try conn.query("SELECT version, checksum FROM schema_migrations") {
            let (version, checksum) = try row.decode((Int, String).self)
            applied[version] = checksum
        }
        return applied
    }
}
