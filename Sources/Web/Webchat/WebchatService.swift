public import Jobs
public import Logging
public import Messaging

/// Everything the webchat routes use, built once by the composition root.
///
/// ```swift
/// let service = WebchatService(
///     directory: WebchatTenantDirectory(repositories: repositories), tokens: WebchatVisitorTokens(key: key),
///     limiter: WebchatRateLimiter(redis: redis), channel: channel, hub: hub, jobs: jobs, logger: logger)
/// addWebchatRoutes(to: router, service: service)
/// ```
public struct WebchatService: Sendable {
    /// Tenant lookups (tier, status, allowed origins).
    public var directory: WebchatTenantDirectory
    /// Visitor token issue and check.
    public var tokens: WebchatVisitorTokens
    /// Per-visitor and per-tenant limits.
    public var limiter: WebchatRateLimiter
    /// The conversation streams.
    public var channel: WebchatChannel
    /// The fan-out of new events to this process's open event streams (run it as a service).
    public var hub: WebchatHub
    /// Enqueues `process-message`.
    public var jobs: JobClient
    /// Limits and timings.
    public var configuration: WebchatConfiguration
    /// Request trouble (ids only, never message text or tokens).
    public var logger: Logger

    /// Creates the service.
    public init(
        directory: WebchatTenantDirectory, tokens: WebchatVisitorTokens, limiter: WebchatRateLimiter,
        channel: WebchatChannel, hub: WebchatHub, jobs: JobClient, configuration: WebchatConfiguration = .init(),
        logger: Logger
    ) {
        self.directory = directory
        self.tokens = tokens
        self.limiter = limiter
        self.channel = channel
        self.hub = hub
        self.jobs = jobs
        self.configuration = configuration
        self.logger = logger
    }
}
