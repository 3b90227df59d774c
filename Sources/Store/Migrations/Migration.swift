/// One versioned schema change, applied once in its own transaction by ``Migrator``.
public struct Migration: Sendable, Equatable {
    /// Strictly increasing version number.
    public let version: Int
    /// Short name shown by `woodstock migrate --status`.
    public let name: String
    /// The SQL, applied as one script.
    public let sql: String

    /// Creates a migration.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Every migration in the repository, in order.
    public static let all: [Migration] = [
        .tenants, .ledger, .rotationTuning, .tenantEmail, .tenantTools, .auditSearch, .tenantUsers,
    ]

    /// A stable checksum of the SQL (FNV-1a, 64 bits, hex), recorded to notice edited migrations.
    public var checksum: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sql.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
