public import Logging
public import Postgres
public import Redis
public import Store
public import Vault

extension Relay {
    /// Opens the PostgreSQL pool named by ``Settings/databaseURL``.
    ///
    /// - Throws: ``SettingsError`` naming `DATABASE_URL` when the URL is invalid.
    public static func openPostgres(_ settings: Settings, logger: Logger) throws -> PostgresPool {
        do {
            return PostgresPool(configuration: try PostgresConfiguration(url: settings.databaseURL), logger: logger)
        } catch {
            throw SettingsError(variable: "DATABASE_URL", problem: "\(error)")
        }
    }

    /// Opens the Redis client named by ``Settings/redisURL``.
    ///
    /// - Throws: ``SettingsError`` naming `REDIS_URL` when the URL is invalid.
    public static func openRedis(_ settings: Settings, logger: Logger) throws -> RedisClient {
        do {
            var configuration = try RedisConfiguration(url: settings.redisURL)
            configuration.sharesConnection = settings.redisSharesConnection
            return RedisClient(configuration: configuration, logger: logger)
        } catch {
            throw SettingsError(variable: "REDIS_URL", problem: "\(error)")
        }
    }

    /// Builds the vault from the master key setting; refuses to start without a valid key.
    ///
    /// - Throws: ``SettingsError`` naming `WOODSTOCK_MASTER_KEY` when it is missing, short or garbled.
    public static func openVault(_ settings: Settings, repositories: Repositories, logger: Logger) throws -> Vault {
        let masterKey: MasterKey
        do {
            masterKey = try MasterKey(parsing: settings.masterKey?.revealed())
        } catch {
            throw SettingsError(variable: "WOODSTOCK_MASTER_KEY", problem: "\(error)")
        }
        return Vault(masterKey: masterKey, repositories: repositories, logger: logger)
    }
}
