public import HTTP
public import Logging

/// The Graph API client for messaging: send text (with or without the `HUMAN_AGENT` tag), sender actions,
/// attachments, profile lookup, webhook subscriptions and the recent messages of a conversation (Conversations API),
/// on Instagram Login (`graph.instagram.com`) or Facebook Login (`graph.facebook.com`) accounts.
///
/// ```swift
/// let graph = GraphClient(http: http, configuration: GraphAPIConfiguration(), logger: logger)
/// let account = GraphAccount(platform: .instagram, id: igUserID)
/// let sent = try await graph.sendText("Hi!", to: igsid, from: account, token: token)
/// ```
///
/// - Tokens always travel in `Authorization: Bearer`, never in a URL, and are never logged.
/// - Errors are ``MetaError``: `.graphError` with a ``GraphErrorDetail`` (use ``MetaError/category``,
///   ``MetaError/isRetryable``, ``MetaError/retryAfter``), `.transport` for timeouts and connection failures
///   (retryable), `.invalidRequest`, `.malformedPayload`. Task cancellation throws `CancellationError`.
/// - Thread safety: a value type over a thread-safe ``HTTPClient``; share it freely.
public struct GraphClient: Sendable {
    /// Hosts, version and timeout.
    public let configuration: GraphAPIConfiguration
    let transport: GraphTransport

    /// Creates a client.
    /// - Parameters:
    ///   - http: the shared HTTP client (its thread carries every call).
    ///   - configuration: hosts and version; Meta's real ones by default.
    ///   - logger: receives debug lines with the operation and error category (never tokens or message text).
    public init(http: HTTPClient, configuration: GraphAPIConfiguration = .init(), logger: Logger) {
        self.init(http: http, configuration: configuration, appSecretProof: nil, logger: logger)
    }

    /// Creates a client that signs every call with `appsecret_proof` (needed when the app's "Require App Secret"
    /// setting is on): HMAC-SHA256 of the token under the Instagram App Secret (Instagram Login) or the Meta App
    /// Secret (Facebook Login).
    /// - Parameters:
    ///   - http: the shared HTTP client.
    ///   - configuration: hosts and version.
    ///   - appSecretProof: the app secrets; `nil` sends no proof.
    ///   - logger: debug lines only.
    public init(
        http: HTTPClient, configuration: GraphAPIConfiguration = .init(), appSecretProof: MetaAppCredentials?,
        logger: Logger
    ) {
        self.configuration = configuration
        self.appSecrets = appSecretProof
        transport = GraphTransport(http: http, timeout: configuration.timeout, logger: logger)
    }

    let appSecrets: MetaAppCredentials?

    func proofSecret(for platform: GraphPlatform) -> String? {
        platform == .instagram ? appSecrets?.instagramAppSecret : appSecrets?.metaAppSecret
    }

    func url(_ account: GraphAccount, _ path: String) -> String {
        configuration.graphBase(for: account.platform) + "/" + FormEncoding.percentEncode(account.id) + path
    }
}

/// The business account a call acts for: its platform and its id (IG user id, Page id, or `me`).
public struct GraphAccount: Sendable, Hashable, CustomStringConvertible {
    /// Which Graph API serves the account.
    public var platform: GraphPlatform
    /// The account id in the path: the Instagram `user_id` (Instagram Login), the Page id (Facebook Login), or
    /// `me` for the token's own account.
    public var id: String

    /// Creates an account reference.
    /// - Parameters:
    ///   - platform: the Graph API.
    ///   - id: the account id, or `me`.
    public init(platform: GraphPlatform, id: String) {
        self.platform = platform
        self.id = id
    }

    /// `platform/id`.
    public var description: String { "\(platform)/\(id)" }
}
