import Foundation
import Logging
import Postgres
import Store
import Synchronization
import TestSupport
import Vault

/// Collects every log line (message and metadata) so a test can grep it for secrets.
final class CapturedLogs: Sendable {
    let lines = Mutex<[String]>([])

    var logger: Logger {
        var logger = Logger(label: "test.vault") { _ in CapturingHandler(sink: self) }
        logger.logLevel = .trace
        return logger
    }

    var all: String { lines.withLock { $0.joined(separator: "\n") } }
}

struct CapturingHandler: LogHandler {
    let sink: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        sink.lines.withLock { $0.append("\(event.level) \(event.message) \(merged) \(event.source)") }
    }
}

/// A migrated private schema, its repositories and a vault with a fresh master key.
func withVault<T>(
    logs: CapturedLogs = CapturedLogs(), maximumConnections: Int = 4,
    _ body: (Vault, Repositories, PostgresPool, (key: MasterKey, base64: String)) async throws -> T
) async throws -> T {
    try await withTestPostgres(maximumConnections: maximumConnections, logger: logs.logger) { pool, _ in
        try await Migrator(pool: pool, logger: logs.logger).migrate()
        let repos = Repositories(pool: pool)
        let master = try MasterKey.generate()
        let vault = Vault(masterKey: master.key, repositories: repos, logger: logs.logger)
        return try await body(vault, repos, pool, master)
    }
}

/// A tenant with one Instagram integration.
func makeIntegration(_ repos: Repositories, account: String = UUID().uuidString) async throws -> (
    TenantID, IntegrationID
) {
    let tenant = try await repos.tenants.create(name: "tenant \(account)", actor: "test")
    let integration = try await repos.integrations.connect(
        tenantID: tenant.id, platform: .instagram, accountID: account, accountName: nil, actor: "test")
    return (tenant.id, integration.id)
}

extension VaultError {
    var codeName: String { code.description }
}
