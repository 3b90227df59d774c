/// Settings of the webchat routes, with documented defaults.
public struct WebchatConfiguration: Sendable {
    /// The longest message text accepted, in UTF-8 bytes (default 2,000; longer → 413).
    public var maxTextBytes: Int
    /// How often an idle event stream sends a comment line, so proxies and browsers keep it open (default 15 s).
    public var heartbeatInterval: Duration
    /// The reconnect delay the browser is told (`retry:`), in milliseconds (default 1,000).
    public var retryMilliseconds: Int
    /// The rate limits.
    public var limits: WebchatRateLimiter.Limits

    /// Creates a configuration; every value has a default.
    public init(
        maxTextBytes: Int = 2_000, heartbeatInterval: Duration = .seconds(15), retryMilliseconds: Int = 1_000,
        limits: WebchatRateLimiter.Limits = .init()
    ) {
        self.maxTextBytes = maxTextBytes
        self.heartbeatInterval = heartbeatInterval
        self.retryMilliseconds = retryMilliseconds
        self.limits = limits
    }
}
