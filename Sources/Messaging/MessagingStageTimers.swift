public import Metrics

/// How long each step of answering a message took, for finding where the time goes under load.
///
/// `woodstock.messaging.stage` (a timer, dimension `stage`): `intake` (the statement that routes, stores and
/// reads the context, pool wait included), `meter`, `assistant` (the whole tool loop), `claim` (the send-ledger
/// statement), `send` (one Graph send call), `record` (storing a part's outcome), `profile` (a first contact's
/// username lookup, beside the answer).
public struct MessagingStageTimers: Sendable {
    /// A step of process-message.
    public enum Stage: String, Sendable, CaseIterable {
        /// Routing, storing and reading the context (one statement).
        case intake
        /// The tenant's metered count (one Redis script).
        case meter
        /// The assistant, tool calls included.
        case assistant
        /// Claiming the reply in the send ledger.
        case claim
        /// One Graph send call.
        case send
        /// Storing one part's send outcome.
        case record
        /// A first contact's profile lookup.
        case profile
    }

    private let timers: [Stage: Timer]

    /// Creates every timer up front.
    /// - Parameter factory: Where the timers live (default: the process's bootstrapped metrics system).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        var timers: [Stage: Timer] = [:]
        for stage in Stage.allCases {
            timers[stage] = Timer(
                label: "woodstock.messaging.stage", dimensions: [("stage", stage.rawValue)], factory: factory)
        }
        self.timers = timers
    }

    /// Runs `body` and records its duration under `stage` (also when it throws).
    func time<T>(_ stage: Stage, _ body: () async throws -> T) async rethrows -> T {
        let started = ContinuousClock.now
        defer {
            let elapsed = ContinuousClock.now - started
            timers[stage]?.recordNanoseconds(
                elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        }
        return try await body()
    }
}
