public import Jobs

/// A retryable failure that carries the remote side's `Retry-After` (the LLM's 429/5xx, the Graph API's rate
/// limits): the job engine schedules the retry no earlier than that.
extension MessagingError: JobRetryDelaying {}
