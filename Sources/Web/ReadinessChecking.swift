/// The state of one dependency, as `/readyz` reports it.
public struct ReadinessStatus: Sendable, Equatable {
    /// A short name (`redis`, `postgres`).
    public var name: String
    /// Whether it answered.
    public var isReady: Bool

    /// Creates a status.
    public init(name: String, isReady: Bool) {
        self.name = name
        self.isReady = isReady
    }
}

/// Tells `/readyz` whether the process can do its work (e.g. Redis and PostgreSQL answer a ping).
public protocol ReadinessChecking: Sendable {
    /// Checks every dependency. Should be quick; the route gives up after
    /// ``WebhookConfiguration/readinessTimeout`` (the task is cancelled) and answers 503.
    /// - Returns: one status per dependency; the process is ready when all are ready.
    func checkReadiness() async -> [ReadinessStatus]
}
