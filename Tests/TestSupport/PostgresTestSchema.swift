import Foundation
public import Logging
public import Postgres

/// Runs `body` with a pool whose `search_path` is a fresh schema, dropped afterwards, so tests that
/// share the database never see each other's tables.
///
/// - Parameters:
///   - maximumConnections: pool size.
///   - body: the test; receives the pool and the schema name.
/// - Throws: what `body` throws, or a hint to run `scripts/services up` when the server is missing.
public func withTestPostgres<T>(
    maximumConnections: Int = 4,
    logger: Logger = Logger(label: "test.postgres"),
    _ body: (PostgresPool, String) async throws -> T
) async throws -> T {
    let schema = TestEnvironment.uniqueName("test")
    var configuration = try PostgresConfiguration(url: TestEnvironment.databaseURL)
    configuration.maximumConnections = maximumConnections
    let admin = PostgresPool(configuration: configuration, logger: logger)
    do {
        try await admin.query("CREATE SCHEMA \(identifier: schema)")
    } catch let error as PostgresError where error.code == .connectionFailed {
        await admin.close()
        throw PostgresError(.connectionFailed, message: "\(error.message ?? "") — run scripts/services up")
    }
    configuration.searchPath = [schema]
    let pool = PostgresPool(configuration: configuration, logger: logger)
    do {
        let value = try await body(pool, schema)
        await pool.close()
        try await admin.query("DROP SCHEMA \(identifier: schema) CASCADE")
        await admin.close()
        return value
    } catch {
        await pool.close()
        _ = try? await admin.query("DROP SCHEMA \(identifier: schema) CASCADE")
        await admin.close()
        throw error
    }
}
