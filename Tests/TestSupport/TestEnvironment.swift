import Foundation

/// Addresses of the real servers the tests use, started by `scripts/services up`.
public enum TestEnvironment {
    /// `REDIS_URL`, or the port `scripts/services` uses.
    public static var redisURL: String {
        ProcessInfo.processInfo.environment["REDIS_URL"] ?? "redis://127.0.0.1:56379/0"
    }

    /// Whether `REDIS_URL` names a Redis Cluster (`scripts/test` runs JobsTests a second time on one); tests of what
    /// only a single server does (one script over every queue's keys) are skipped there.
    public static var redisIsCluster: Bool { redisURL.hasPrefix("redis+cluster://") }

    /// `DATABASE_URL`, or the port `scripts/services` uses.
    public static var databaseURL: String {
        ProcessInfo.processInfo.environment["DATABASE_URL"] ?? "postgres://woodstock@127.0.0.1:55432/woodstock"
    }

    /// A unique name for isolating one test's keys, queues or schema.
    public static func uniqueName(_ prefix: String = "test") -> String {
        "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
    }
}
