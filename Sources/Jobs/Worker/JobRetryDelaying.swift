/// An error that says how long to wait before the job runs again (a remote side's `Retry-After`).
///
/// When a handler throws such an error and the job has attempts left, the worker schedules the retry at
/// `max(backoff, retryAfter)`: never earlier than the remote side asked, never earlier than the catalog's
/// backoff. A `nil` or non-positive ``retryAfter`` means "use the backoff". The delay is capped at
/// ``JobRetryDelay/maximum`` so a garbled header cannot park a job for years.
///
/// ```swift
/// struct RateLimited: JobRetryDelaying { var retryAfter: Duration? }
/// registry.register("ask-llm", payload: Ask.self) { ask, _ in
///     throw RateLimited(retryAfter: .seconds(7))   // retried no earlier than 7 s from now
/// }
/// ```
public protocol JobRetryDelaying: Error {
    /// How long the remote side asked us to wait before trying again, if it said.
    var retryAfter: Duration? { get }
}

/// The worker's arithmetic for retry delays (exposed for tests and for handlers that log the delay).
public enum JobRetryDelay {
    /// The longest delay a ``JobRetryDelaying`` error can ask for (24 hours).
    public static let maximum: Duration = .seconds(86_400)

    /// Seconds until the retry: the backoff, or the error's `retryAfter` when that is longer (capped at
    /// ``maximum``).
    /// - Parameters:
    ///   - backoff: The catalog's backoff delay for this attempt, in seconds.
    ///   - error: What the handler threw.
    /// - Returns: The delay in seconds.
    public static func seconds(backoff: Double, error: any Error) -> Double {
        guard let asked = (error as? any JobRetryDelaying)?.retryAfter, asked > .zero else { return backoff }
        let capped = min(asked, maximum)
        let seconds = Double(capped.components.seconds) + Double(capped.components.attoseconds) / 1e18
        return max(backoff, seconds)
    }
}
