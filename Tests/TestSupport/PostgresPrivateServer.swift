public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A private PostgreSQL 15 server in a temporary directory, on its own port, for tests that stop and
/// restart a server (never the shared one). Runs as the `postgres` user via `runuser`, since the
/// server refuses to run as root.
public final class PostgresPrivateServer: @unchecked Sendable {
    // Invariant: used by one test at a time; fields are set in init and only read afterwards.
    /// The data directory's parent (removed by ``destroy()``).
    public let directory: URL
    /// The port the server listens on.
    public private(set) var port: Int
    /// A URL for the `postgres` superuser database.
    public var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres" }

    private static let binaries = "/usr/lib/postgresql/15/bin"

    /// Creates the cluster with `initdb` (trust auth) and starts it.
    /// - Throws: when initdb or the start fails.
    public init() throws {
        directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "woodstock-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = Int.random(in: 40_000...49_000)
        try Self.run("/bin/chown", ["postgres", directory.path])
        try Self.run(
            "/usr/sbin/runuser",
            [
                "-u", "postgres", "--", "\(Self.binaries)/initdb", "-D", "\(directory.path)/data", "-A", "trust",
                "-U", "postgres", "--no-sync",
            ])
        // A random port may be taken by another test's server: try two more before giving up.
        var attempt = 1
        while true {
            do {
                try start()
                break
            } catch  where attempt < 3 {
                attempt += 1
                port = Int.random(in: 40_000...49_000)
            }
        }
    }

    /// Starts the server and waits until it accepts connections.
    /// - Throws: when `pg_ctl start` fails.
    public func start() throws {
        try Self.run(
            "/usr/sbin/runuser",
            [
                "-u", "postgres", "--", "\(Self.binaries)/pg_ctl", "-D", "\(directory.path)/data", "-w", "-l",
                "\(directory.path)/log", "-o",
                "-p \(port) -k \(directory.path) -c listen_addresses=127.0.0.1 -c fsync=off",
                "start",
            ])
    }

    /// Stops the server (`-m fast` terminates sessions, as a restart would).
    /// - Throws: when `pg_ctl stop` fails.
    public func stop() throws {
        try Self.run(
            "/usr/sbin/runuser",
            [
                "-u", "postgres", "--", "\(Self.binaries)/pg_ctl", "-D", "\(directory.path)/data", "-w", "-m", "fast",
                "stop",
            ])
    }

    /// Creates and starts a server on a Dispatch thread (initdb and pg_ctl block).
    /// - Throws: when initdb or the start fails.
    public static func make() async throws -> PostgresPrivateServer {
        try await offPool { try PostgresPrivateServer() }
    }

    /// ``start()`` on a Dispatch thread.
    /// - Throws: when the start fails.
    public func startAsync() async throws { try await Self.offPool { try self.start() } }

    /// ``stop()`` on a Dispatch thread.
    /// - Throws: when the stop fails.
    public func stopAsync() async throws { try await Self.offPool { try self.stop() } }

    private static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Stops the server if running and removes its directory.
    public func destroy() {
        do { try stop() } catch { FileHandle.standardError.write(Data("private postgres stop: \(error)\n".utf8)) }
        if FileManager.default.fileExists(atPath: "\(directory.path)/data/postmaster.pid") {
            try? Self.run(
                "/usr/sbin/runuser",
                [
                    "-u", "postgres", "--", "\(Self.binaries)/pg_ctl", "-D", "\(directory.path)/data", "-m",
                    "immediate",
                    "stop",
                ])
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs a command line through `/bin/sh` (`system(3)`, which reaps its own child) and checks its status.
    /// Arguments here are our own paths and numbers, quoted with single quotes.
    private static func run(_ executable: String, _ arguments: [String]) throws {
        let line = ([executable] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            .joined(separator: " ")
        let output = NSTemporaryDirectory() + "woodstock-pg-cmd-\(UUID().uuidString.prefix(8)).log"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let status = system(line + " >'\(output)' 2>&1 </dev/null")
        guard status == 0 else {
            let said = (try? String(contentsOfFile: output, encoding: .utf8))?.suffix(600) ?? ""
            throw CocoaError(
                .executableLoad,
                userInfo: [
                    NSLocalizedDescriptionKey: "\(executable) \(arguments.last ?? "") failed (\(status)): \(said)"
                ])
        }
    }
}
