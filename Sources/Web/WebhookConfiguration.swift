/// Settings of the Meta webhook endpoint. `description` never shows the verify token or the secrets.
public struct WebhookConfiguration: Sendable, CustomStringConvertible {
    /// The string Meta echoes in `hub.verify_token` during the subscription handshake (required, non-empty).
    public var verifyToken: String
    /// Every app secret a delivery may be signed with: the Instagram app secret (Instagram Login) and the Meta app
    /// secret (Facebook Login).
    public var appSecrets: [String]
    /// The largest accepted body in bytes; larger deliveries get 413. Default 1 MiB (Meta batches at most 1,000
    /// updates, typically a few hundred bytes each).
    public var maxBodyBytes: Int
    /// The route path. Default `/webhooks/meta`.
    public var path: String
    /// How long `/readyz` waits for the readiness check before answering 503. Default 2 s.
    public var readinessTimeout: Duration

    /// Creates a configuration.
    public init(
        verifyToken: String, appSecrets: [String], maxBodyBytes: Int = 1 << 20, path: String = "/webhooks/meta",
        readinessTimeout: Duration = .seconds(2)
    ) {
        self.verifyToken = verifyToken
        self.appSecrets = appSecrets
        self.maxBodyBytes = maxBodyBytes
        self.path = path
        self.readinessTimeout = readinessTimeout
    }

    /// A description without the verify token and secrets.
    public var description: String {
        "WebhookConfiguration(path: \(path), verifyToken: ********, appSecrets: \(appSecrets.count) x ********, "
            + "maxBodyBytes: \(maxBodyBytes))"
    }
}
