import CustomTools
import Foundation
public import Logging
public import Postgres
import Store
import Vault

extension Relay {
    /// Applies pending migrations (`woodstock migrate`) and returns one line per migration applied.
    ///
    /// Safe to run twice and from two processes at once (the migrator holds an advisory lock).
    public static func migrate(_ settings: Settings, logger: Logger) async throws -> [String] {
        let applied = try await withPostgres(settings, logger: logger) { pool in
            try await Migrator(pool: pool, logger: logger).migrate()
        }
        return applied.isEmpty ? ["schema is up to date"] : applied.map { "applied \($0.version) \($0.name)" }
    }

    /// Lists every migration with the time it was applied (`woodstock migrate --status`).
    public static func migrationStatus(_ settings: Settings, logger: Logger) async throws -> [String] {
        let statuses = try await withPostgres(settings, logger: logger) { pool in
            try await Migrator(pool: pool, logger: logger).status()
        }
        return statuses.map { status in
            let when = status.appliedAt.map { ISO8601DateFormatter().string(from: $0) } ?? "pending"
            return String(format: "%04d  %-40@  %@", status.version, status.name as NSString, when as NSString)
        }
    }

    /// Re-encrypts every token under a new data key and retires the old one (`woodstock rotate-keys`).
    public static func rotateKeys(_ settings: Settings, logger: Logger) async throws -> String {
        let (report, resealed) = try await withPostgres(settings, logger: logger) { pool in
            let repositories = Repositories(pool: pool)
            let vault = try openVault(settings, repositories: repositories, logger: logger)
            let report = try await vault.rotateDataKeys()
            let resealer = ToolSecretResealer(
                tools: TenantToolRepository(pool: pool), keys: repositories.keys, vault: vault, logger: logger)
            return (report, try await resealer.resealAll())
        }
        return "active key \(report.activeKeyID); re-encrypted \(report.reencrypted) tokens and \(resealed) tool "
            + "secrets; "
            + "retired keys \(report.retiredKeyIDs.map(String.init).joined(separator: ","))"
    }

    /// Re-wraps every data key under a new master key (`woodstock rotate-master-key`).
    ///
    /// - Parameter newMasterKey: the new key's text (base64 or hex of 32 bytes); never logged.
    public static func rotateMasterKey(_ settings: Settings, newMasterKey: String, logger: Logger) async throws
        -> String
    {
        let newKey: MasterKey
        do {
            newKey = try MasterKey(parsing: newMasterKey, variable: "WOODSTOCK_NEW_MASTER_KEY")
        } catch {
            throw SettingsError(variable: "WOODSTOCK_NEW_MASTER_KEY", problem: "\(error)")
        }
        let count = try await withPostgres(settings, logger: logger) { pool in
            try await openVault(settings, repositories: Repositories(pool: pool), logger: logger)
                .rotateMasterKey(to: newKey)
        }
        return "re-wrapped \(count) data keys; set WOODSTOCK_MASTER_KEY to the new key before the next start"
    }

    /// Runs `body` with a pool that is closed afterwards, whether `body` throws or not.
    public static func withPostgres<T: Sendable>(
        _ settings: Settings, logger: Logger, _ body: (PostgresPool) async throws -> T
    ) async throws -> T {
        let pool = try openPostgres(settings, logger: logger)
        do {
            let result = try await body(pool)
            await pool.close()
            return result
        } catch {
            await pool.close()
            throw error
        }
    }

    /// Prints a fresh random master key in base64 (`woodstock generate-master-key`).
    public static func generateMasterKey() throws -> String {
        try MasterKey.generate().base64
    }
}
