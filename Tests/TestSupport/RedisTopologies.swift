import Foundation
import Synchronization

/// Starts the local topologies of scripts/lib/redis-topologies.sh (idempotent) and returns their URLs:
/// a 3-master Redis Cluster, a 3-master + 3-replica cluster for failovers and a Sentinel set-up (master, replica,
/// 3 sentinels), on private ports.
///
/// Runs the script on a Dispatch thread (launching and waiting block), once per process and topology.
///
/// ```swift
/// let url = try await RedisTopologies.clusterURL()   // redis+cluster://127.0.0.1:57001,…
/// ```
public enum RedisTopologies {
    private static let started = Mutex<[String: String]>([:])

    /// `redis+cluster://…` of the local 3-master cluster (started if needed).
    public static func clusterURL() async throws -> String { try await url(of: "topo_cluster_up") }

    /// `redis+sentinel://…/woodstock` of the local master, replica and 3 sentinels (started if needed).
    public static func sentinelURL() async throws -> String { try await url(of: "topo_sentinel_up") }

    /// `redis+cluster://…` of the local HA cluster: 3 masters and 3 replicas, node timeout 1 s.
    ///
    /// Not cached: every call runs `topo_cluster_ha_up`, which restarts a node a test killed (as a replica of
    /// the node promoted in its place) and waits until every master has a replica in sync again. A test that
    /// kills nodes uses ``withClusterHA(_:)`` instead.
    public static func clusterHAURL() async throws -> String { try await run("topo_cluster_ha_up") }

    /// Runs `body` with the HA cluster's URL while holding a machine-wide file lock, so test processes running
    /// at the same time (RedisTests, JobsTests, `scripts/bench cluster`) take turns killing its masters. The
    /// cluster is started (or repaired) before `body` and repaired after it, also when `body` throws.
    /// - Returns: What `body` returns.
    public static func withClusterHA<T: Sendable>(_ body: (String) async throws -> T) async throws -> T {
        let descriptor = try await onThread { () throws -> Int32 in
            let descriptor = open(clusterHALockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o666)
            guard descriptor >= 0 else { throw TopologyError(message: "cannot open \(clusterHALockPath)") }
            guard flock(descriptor, LOCK_EX) == 0 else {
                close(descriptor)
                throw TopologyError(message: "cannot lock \(clusterHALockPath)")
            }
            return descriptor
        }
        defer { close(descriptor) }
        let result: Result<T, any Error>
        do {
            let url = try await clusterHAURL()
            result = .success(try await body(url))
        } catch {
            result = .failure(error)
        }
        _ = try await clusterHAURL()
        return try result.get()
    }

    /// The lock file of ``withClusterHA(_:)``; scripts/bench.d/cluster.sh takes the same one (`flock`).
    public static let clusterHALockPath = "/tmp/woodstock-redis-cluster-ha.lock"

    /// Kills (SIGKILL) the HA cluster's master owning `slot` and returns its `host:port`.
    public static func killClusterHAMaster(slot: Int) async throws -> String {
        try await run("topo_cluster_ha_kill_master", "\(slot)")
    }

    /// `host:port` of the HA cluster's master owning `slot`, as the first running node sees it.
    public static func clusterHAMaster(slot: Int) async throws -> String {
        try await run("topo_cluster_ha_master", "\(slot)")
    }

    /// Runs one function of the script (e.g. `topo_sentinel_failover`) with its arguments and returns its last
    /// stdout line.
    public static func run(_ function: String, _ arguments: String...) async throws -> String {
        try await onThread { try runBlocking([function] + arguments) }
    }

    /// Runs a blocking closure on a Dispatch thread, off the cooperative pool.
    private static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }

    private static func url(of function: String) async throws -> String {
        if let url = started.withLock({ $0[function] }) { return url }
        let url = try await run(function)
        started.withLock { $0[function] = url }
        return url
    }

    private static let lock = NSLock()

    private static func runBlocking(_ command: [String]) throws -> String {
        lock.lock()
        defer { lock.unlock() }
        do {
            return try runOnce(command)
        } catch is TopologyError where command.first?.hasSuffix("_up") == true {
            // A set-up that did not come up in time on a loaded machine gets one more go (`_up` repairs or
            // recreates what it finds); the script's messages are in var/test-logs/topologies.log.
            return try runOnce(command)
        }
    }

    private static func runOnce(_ command: [String]) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let script = root.appendingPathComponent("scripts/lib/redis-topologies.sh")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script.path] + command
        let output = Pipe()
        process.standardOutput = output
        process.standardError = stderrLog(root: root) ?? FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let status = ChildExit.wait(for: process)
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        guard status == 0, let last = lines.last else {
            throw TopologyError(message: "\(command.joined(separator: " ")) exited with \(status)")
        }
        return String(last)
    }

    /// `var/test-logs/topologies.log`, opened for appending (the scripts' status lines, for a failed set-up).
    private static func stderrLog(root: URL) -> FileHandle? {
        let directory = root.appendingPathComponent("var/test-logs")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("topologies.log").path
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { return nil }
        handle.seekToEndOfFile()
        return handle
    }
}

/// The topology script failed.
public struct TopologyError: Error, CustomStringConvertible {
    /// What failed.
    public let message: String
    /// The message.
    public var description: String { message }
}
