/// Tunables of process-message, with documented defaults.
public struct MessagingSettings: Sendable {
    /// How many recent messages the assistant sees (default 20).
    public var historyLimit: Int
    /// The most messages one reply is split into (default 4; each ≤ 1000 UTF-8 bytes).
    public var maximumReplyParts: Int
    /// Sent when the assistant fails for good (after the engine's retries, or a non-retryable error).
    public var fallbackReply: String
    /// Sent when the conversation is handed to a person (by the assistant's tool or the customer's request).
    public var handoverReply: String
    /// From this run on (1 = first), a retryable assistant failure sends the fallback instead of retrying
    /// again, so the customer is not left without an answer (default 3; the catalog allows 8 runs).
    public var assistantAttemptsBeforeFallback: Int
    /// A `pending` send younger than this is assumed in flight: an unmatched echo arriving meanwhile is
    /// re-examined later instead of being taken for a human's message (default 120 s).
    public var inFlightWindowSeconds: Double
    /// How much earlier than a part's claim a message found by the delivery lookup may be dated and still count as
    /// that part's delivery: the clocks of PostgreSQL, this host and Meta differ a little, and Meta's
    /// `created_time` has whole seconds (default 5 s).
    public var lookupClockSkewSeconds: Double

    /// Creates settings; every value has a default.
    public init(
        historyLimit: Int = 20,
        maximumReplyParts: Int = 4,
        fallbackReply: String =
            "Thanks for your message! We can't answer automatically right now; someone from our team will get back to you.",
        handoverReply: String = "Thanks! A person from our team will get back to you here shortly.",
        assistantAttemptsBeforeFallback: Int = 3,
        inFlightWindowSeconds: Double = 120,
        lookupClockSkewSeconds: Double = 5
    ) {
        self.assistantAttemptsBeforeFallback = assistantAttemptsBeforeFallback
        self.historyLimit = historyLimit
        self.maximumReplyParts = maximumReplyParts
        self.fallbackReply = fallbackReply
        self.handoverReply = handoverReply
        self.inFlightWindowSeconds = inFlightWindowSeconds
        self.lookupClockSkewSeconds = lookupClockSkewSeconds
    }
}
