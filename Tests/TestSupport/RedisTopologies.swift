import Foundation
import Synchronization

/// Starts the local topologies of scripts/lib/redis-topologies.sh (idempotent) and returns their URLs:
/// a 3-master Redis Cluster and a Sentinel set-up (master, replica, 3 sentinels), on private ports.
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

    /// Runs one function of the script (e.g. `topo_sentinel_failover`) and returns its last stdout line.
    public static func run(_ function: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runBlocking(function) })
            }
        }
    }

    private static func url(of function: String) async throws -> String {
        if let url = started.withLock({ $0[function] }) { return url }
        let url = try await run(function)
        started.withLock { $0[function] = url }
        return url
    }

    private static let lock = NSLock()

    private static func runBlocking(_ function: String) throws -> String {
        lock.lock()
        defer { lock.unlock() }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/lib/redis-topologies.sh")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script.path, function]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let status = ChildExit.wait(for: process)
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        guard status == 0, let last = lines.last else {
            throw TopologyError(message: "\(function) exited with \(status)")
        }
        return String(last)
    }
}

/// The topology script failed.
public struct TopologyError: Error, CustomStringConvertible {
    /// What failed.
    public let message: String
    /// The message.
    public var description: String { message }
}
