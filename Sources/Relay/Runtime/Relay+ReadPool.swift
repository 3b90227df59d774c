public import Logging
public import Postgres

extension Relay {
    /// Opens the read pool: the replica named by ``Settings/databaseReplicaURL`` over `primary`, or
    /// `primary` alone when the setting is unset.
    ///
    /// - Parameters:
    ///   - settings: the process settings.
    ///   - primary: the primary's pool, kept open by the caller.
    ///   - logger: receives the fallback warnings.
    /// - Throws: ``SettingsError`` naming `DATABASE_REPLICA_URL` when the URL is invalid.
    public static func openReadPool(_ settings: Settings, primary: PostgresPool, logger: Logger) throws -> ReadPool {
        guard let url = settings.databaseReplicaURL else {
            return ReadPool(primary: primary, replica: nil, logger: logger)
        }
        do {
            var configuration = try PostgresConfiguration(url: url)
            configuration.applicationName = "woodstock-read"
            configuration.connectTimeoutSeconds = min(configuration.connectTimeoutSeconds, 3)
            let replica = PostgresPool(configuration: configuration, logger: logger)
            return ReadPool(primary: primary, replica: replica, logger: logger)
        } catch {
            throw SettingsError(variable: "DATABASE_REPLICA_URL", problem: "\(error)")
        }
    }

    /// Runs a read-only `body` on the replica when `DATABASE_REPLICA_URL` is set (falling back to the
    /// primary when it is lost), else on the primary; every pool is closed afterwards.
    ///
    /// - Parameters:
    ///   - settings: the process settings.
    ///   - logger: the command's logger.
    ///   - body: the read; it may run twice (replica, then primary), so it must not write.
    /// - Returns: what `body` returns.
    /// - Throws: ``SettingsError`` for a bad URL, or what `body` throws.
    public static func withReadPostgres<T: Sendable>(
        _ settings: Settings, logger: Logger, _ body: (PostgresPool) async throws -> T
    ) async throws -> T {
        try await withPostgres(settings, logger: logger) { primary in
            let reads = try openReadPool(settings, primary: primary, logger: logger)
            do {
                let result = try await reads.read(body)
                await reads.close()
                return result
            } catch {
                await reads.close()
                throw error
            }
        }
    }
}
