public import Metrics

/// The counters process-message reports, created once and reused.
///
/// Dimensions are few and fixed: `platform` (instagram, facebook, webchat) and `outcome`; never tenant or
/// user ids.
///
/// - `woodstock.messaging.replies` — replies sent, `outcome`: `answered`, `fallback`, `handover`.
/// - `woodstock.messaging.failures` — send/assistant failures by class, `outcome`: see ``FailureClass``.
/// - `woodstock.messaging.skipped` — inbound messages stored but not answered, `outcome`: see ``SkipReason``.
public struct MessagingMetrics: Sendable {
    /// What kind of reply went out.
    public enum ReplyKind: String, Sendable, CaseIterable {
        /// The assistant's answer.
        case answered
        /// The fixed fallback message after the assistant failed for good.
        case fallback
        /// The "a person will get back to you" message after a handover.
        case handover
    }

    /// Why a reply failed.
    public enum FailureClass: String, Sendable, CaseIterable {
        /// Graph 190 and friends: the integration needs re-authorisation; not retried.
        case tokenInvalid = "token_invalid"
        /// Graph 4, 17, 32, 613 …: retried by the engine.
        case rateLimited = "rate_limited"
        /// Graph 5xx, timeouts: retried by the engine.
        case transient
        /// Outside the 24-hour window: recorded, not retried.
        case outsideWindow = "outside_window"
        /// Any other Graph error: recorded, not retried.
        case permanent
        /// The LLM failed in a retryable way (429, 5xx): retried by the engine.
        case assistantRetryable = "assistant_retryable"
        /// The LLM failed for good: the fallback message is sent instead.
        case assistantFailed = "assistant_failed"
        /// A previous run recorded the send intent but no outcome: not resent.
        case sendInDoubt = "send_in_doubt"
    }

    /// Why an inbound message got no AI reply.
    public enum SkipReason: String, Sendable, CaseIterable {
        /// The receiving account belongs to no tenant.
        case unknownAccount = "unknown_account"
        /// A person on the tenant's side took the conversation over (or the customer asked for one).
        case takenOver = "taken_over"
        /// The tenant reached its monthly limit.
        case overLimit = "over_limit"
        /// The tenant's tier does not answer this platform.
        case platformNotInTier = "platform_not_in_tier"
        /// The tenant or the integration is disabled or needs re-authorisation.
        case inactive
        /// A duplicate delivery of a message already answered.
        case duplicate
        /// A reaction, read receipt, deletion, echo or content that needs no answer.
        case notAnswerable = "not_answerable"
    }

    private let replyCounters: [String: Counter]
    private let failureCounters: [String: Counter]
    private let skipCounters: [String: Counter]

    /// Creates every counter up front.
    /// - Parameter factory: Where the counters live (default: the process's bootstrapped metrics system;
    ///   tests pass a `TestMetrics`).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        let platforms = ["instagram", "facebook", "webchat"]
        func make(_ label: String, _ outcomes: [String]) -> [String: Counter] {
            var counters: [String: Counter] = [:]
            for platform in platforms {
                for outcome in outcomes {
                    counters["\(platform)/\(outcome)"] = Counter(
                        label: label, dimensions: [("platform", platform), ("outcome", outcome)], factory: factory)
                }
            }
            return counters
        }
        replyCounters = make("woodstock.messaging.replies", ReplyKind.allCases.map(\.rawValue))
        failureCounters = make("woodstock.messaging.failures", FailureClass.allCases.map(\.rawValue))
        skipCounters = make("woodstock.messaging.skipped", SkipReason.allCases.map(\.rawValue))
    }

    /// Counts one reply sent (all its parts count once).
    func replied(platform: String, _ kind: ReplyKind) { replyCounters["\(platform)/\(kind.rawValue)"]?.increment() }

    /// Counts one failure.
    func failed(platform: String, _ failure: FailureClass) {
        failureCounters["\(platform)/\(failure.rawValue)"]?.increment()
    }

    /// Counts one inbound event that got no AI reply.
    func skipped(platform: String, _ reason: SkipReason) { skipCounters["\(platform)/\(reason.rawValue)"]?.increment() }
}
