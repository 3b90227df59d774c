import Logging
import Postgres
import Store
import TestSupport

/// A migrated private schema and its repositories.
func withMigratedStore<T>(
    _ body: (Repositories, PostgresPool) async throws -> T
) async throws -> T {
    try await withTestPostgres { pool, _ in
        try await Migrator(pool: pool, logger: Logger(label: "test.migrate")).migrate()
        return try await body(Repositories(pool: pool), pool)
    }
}
