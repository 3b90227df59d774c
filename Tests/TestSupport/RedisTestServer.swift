public import Foundation
import Logging
import Redis

/// A private `redis-server` on its own port and temp dir, for tests that kill or flush a server.
///
/// Never use the shared server for that: other agents' tests run against it at the same time.
public final class RedisTestServer: @unchecked Sendable {
    /// The port the server listens on.
    public private(set) var port = 0
    /// The server's working directory (deleted by ``stop()``).
    public let directory: URL
    private var process: Process?
    private let isDurable: Bool

    /// Starts a server on a free port and waits until it answers `PING`.
    /// - Parameter durable: `true` writes every command to an append-only file (`appendfsync always`),
    ///   so a killed and restarted server keeps its data.
    ///
    /// The port is random below the kernel's ephemeral range (32768 and up), where no outgoing connection can hold
    /// it; a port another process listens on is skipped by trying another (up to 8 times).
    public init(durable: Bool = false) async throws {
        isDurable = durable
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("redis-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var lastError: (any Error)?
        for _ in 0..<8 {
            let candidate = Int.random(in: 20_000...29_999)
            if await RedisDedicatedConnection.probe(try RedisConfiguration(url: Self.url(candidate))) { continue }
            port = candidate
            do {
                try await start()
                return
            } catch {
                lastError = error
                kill()
            }
        }
        throw lastError ?? RedisError(.connectionFailed, message: "no free port for a private redis-server")
    }

    private static func url(_ port: Int) -> String { "redis://127.0.0.1:\(port)/0" }

    /// `redis://127.0.0.1:PORT/0`.
    public var url: String { Self.url(port) }

    /// Starts (or restarts) the server process and waits until it accepts connections.
    public func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
        process.arguments = [
            "--port", "\(port)", "--bind", "127.0.0.1", "--dir", directory.path, "--save", "",
            "--appendonly", isDurable ? "yes" : "no", "--appendfsync", "always", "--daemonize", "no",
            "--loglevel", "warning",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        let configuration = try RedisConfiguration(url: url)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if await RedisDedicatedConnection.probe(configuration) { return }
            guard ChildExit.isRunning(process) else {  // e.g. the port was taken after all
                throw RedisError(.connectionFailed, message: "private redis-server on \(port) exited at start")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw RedisError(.connectionFailed, message: "private redis-server on \(port) did not start")
    }

    /// Kills the server with SIGKILL and waits for it to exit.
    public func kill() {
        guard let process else { return }
        ChildExit.stop(process, signal: SIGKILL)
        self.process = nil
    }

    /// Kills the server and removes its directory.
    public func stop() {
        kill()
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }
}

extension RedisDedicatedConnection {
    /// `true` when a server at `configuration` answers `PING`.
    static func probe(_ configuration: RedisConfiguration) async -> Bool {
        let client = RedisClient(configuration: configuration, logger: .init(label: "probe"))
        defer { client.close() }
        return (try? await client.send("PING")) != nil
    }
}
