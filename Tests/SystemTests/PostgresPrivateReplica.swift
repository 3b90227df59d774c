import Foundation
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A streaming standby of a ``PostgresPrivateServer``: `pg_basebackup -R` into its own temporary
/// directory, started on its own port as the `postgres` user. Never touches the shared servers.
final class PostgresPrivateReplica: @unchecked Sendable {
    // Invariant: used by one test at a time; fields are set in init and only read afterwards.
    let directory: URL
    let port: Int
    /// The replica's `postgres` database as the `postgres` superuser.
    var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres" }

    private static let binaries = "/usr/lib/postgresql/15/bin"

    /// Copies `primary` with `pg_basebackup` and starts the standby.
    init(primary: PostgresPrivateServer) throws {
        directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "woodstock-pg-replica-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var candidate = Int.random(in: 30_000...39_000)
        while candidate == primary.port { candidate = Int.random(in: 30_000...39_000) }
        port = candidate
        try Self.shell("chown postgres '\(directory.path)'")
        try Self.asPostgres(
            "\(Self.binaries)/pg_basebackup -h 127.0.0.1 -p \(primary.port) -U postgres -D '\(directory.path)/data' "
                + "-R -X stream -c fast --no-sync")
        try start()
    }

    /// Starts the standby and waits until it accepts connections.
    func start() throws {
        try Self.asPostgres(
            "\(Self.binaries)/pg_ctl -D '\(directory.path)/data' -w -l '\(directory.path)/log' -o "
                + "'-p \(port) -k \(directory.path) -c listen_addresses=127.0.0.1 -c fsync=off -c hot_standby=on' start"
        )
    }

    /// Kills the standby at once (`-m immediate`: no shutdown checkpoint, like a lost machine).
    func kill() throws {
        try Self.asPostgres("\(Self.binaries)/pg_ctl -D '\(directory.path)/data' -w -m immediate stop")
    }

    /// Creates and starts a replica on a Dispatch thread (pg_basebackup and pg_ctl block).
    static func make(primary: PostgresPrivateServer) async throws -> PostgresPrivateReplica {
        try await offPool { try PostgresPrivateReplica(primary: primary) }
    }

    /// ``kill()`` on a Dispatch thread.
    func killAsync() async throws { try await Self.offPool { try self.kill() } }

    /// Stops the standby if it runs and removes its directory.
    func destroy() {
        if FileManager.default.fileExists(atPath: "\(directory.path)/data/postmaster.pid") { try? kill() }
        try? FileManager.default.removeItem(at: directory)
    }

    private static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }

    private static func asPostgres(_ command: String) throws {
        try shell("/usr/sbin/runuser -u postgres -- /bin/sh -c \"\(command)\"")
    }

    /// Runs one line of our own paths and numbers through `/bin/sh` (`system(3)` reaps its child).
    private static func shell(_ line: String) throws {
        let status = system(line + " >/dev/null 2>&1 </dev/null")
        guard status == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "\(line) failed (\(status))"])
        }
    }
}
