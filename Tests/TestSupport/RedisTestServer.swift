public import Foundation
import Logging
import Redis

/// A private `redis-server` on its own port and temp dir, for tests that kill or flush a server.
///
/// Never use the shared server for that: other agents' tests run against it at the same time.
public final class RedisTestServer: @unchecked Sendable {
    /// The port the server listens on.
    public let port: Int
    /// The server's working directory (deleted by ``stop()``).
    public let directory: URL
    private var process: Process?
    private let isDurable: Bool

    /// Starts a server on a free port and waits until it answers `PING`.
    /// - Parameter durable: `true` writes every command to an append-only file (`appendfsync always`),
    ///   so a killed and restarted server keeps its data.
    public init(durable: Bool = false) async throws {
        isDurable = durable
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("redis-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = Int.random(in: 42_000...48_000)
        try await start()
    }

    /// `redis://127.0.0.1:PORT/0`.
    public var url: String { "redis://127.0.0.1:\(port)/0" }

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
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if await RedisDedicatedConnection.probe(configuration) { return }
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
