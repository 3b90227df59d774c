import Jobs
import Redis

/// The payload of `probe`, a diagnostic job that counts its own runs in Redis.
///
/// It is registered only when the catalog defines `probe` (the product's `jobs/` does not), so chaos
/// tests and drills can prove from outside that no job was lost and count the ones that ran twice.
public struct ProbePayload: Codable, Sendable {
    /// The job name a catalog file must use to enable the probe.
    public static let jobName = "probe"
    /// The Redis hash (`HINCRBY key id 1`) that counts runs per probe id.
    public var key: String
    /// The probe's id.
    public var id: String

    /// Creates a probe payload.
    public init(key: String, id: String) {
        self.key = key
        self.id = id
    }
}

extension RelayRuntime {
    func registerProbe(in registry: inout JobRegistry) {
        let redis = redis
        registry.register(ProbePayload.jobName, payload: ProbePayload.self) { payload, _ in
            _ = try await redis.send("HINCRBY", payload.key, payload.id, 1)
        }
    }
}
