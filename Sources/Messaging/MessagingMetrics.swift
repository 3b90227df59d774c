public import Metrics

/// The counters process-message reports, created once and reused.
///
/// Dimensions are few and fixed: `platform` (instagram, facebook, webchat) and `outcome`; never tenant or
/// user ids.
///
/// - `woodstock.messaging.replies` — replies sent, `outcome`: `answered`, `fallback`, `handover`.
/// - `woodstock.messaging.failures` — send/assistant failures by class, `outcome`: see ``FailureClass``.
/// - `woodstock.messaging.skipped` — inbound messages stored but not answered, `outcome`: see ``SkipReason``.
/// - `woodstock.messaging.reconciled` — reply parts an earlier run left `pending` (it died between claiming and
///   recording), settled by a delivery lookup, counted per part; `outcome`: see ``ReconcileOutcome``.
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
        /// A previous run recorded the send intent but no outcome, and no delivery lookup was possible: not resent.
        case sendInDoubt = "send_in_doubt"
    }

    /// How a delivery lookup settled reply parts left `pending` by a run that died.
    public enum ReconcileOutcome: String, Sendable, CaseIterable {
        /// Found in the conversation (Meta delivered it): marked sent with Meta's message id, not sent again.
        case resolvedByLookup = "resolved_by_lookup"
        /// Not in the conversation: sent now, once.
        case resentAfterLookup = "resent_after_lookup"
        /// The lookup failed in a retryable way (rate limit, 5xx, timeout): the job is retried (counted per lookup).
        case lookupFailed = "lookup_failed"
        /// The platform refused the lookup for good (e.g. a missing permission): left in doubt (counted per lookup).
        case lookupUnavailable = "lookup_unavailable"
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
    private let reconcileCounters: [String: Counter]

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
        reconcileCounters = make("woodstock.messaging.reconciled", ReconcileOutcome.allCases.map(\.rawValue))
    }

    /// Counts one reply sent (all its parts count once).
    func replied(platform: String, _ kind: ReplyKind) { replyCounters["\(platform)/\(kind.rawValue)"]?.increment() }

    /// Counts one failure.
    func failed(platform: String, _ failure: FailureClass) {
        failureCounters["\(platform)/\(failure.rawValue)"]?.increment()
    }

    /// Counts reply parts settled by a delivery lookup (nothing when `parts` is 0).
    func reconciled(platform: String, _ outcome: ReconcileOutcome, parts: Int) {
        guard parts > 0 else { return }
        reconcileCounters["\(platform)/\(outcome.rawValue)"]?.increment(by: Int64(parts))
    }

    /// Counts one inbound event that got no AI reply.
    func skipped(platform: String, _ reason: SkipReason) { skipCounters["\(platform)/\(reason.rawValue)"]?.increment() }
}
