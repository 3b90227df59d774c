/// Start-up settings of the sandbox; the control API can change faults and OAuth behaviour later.
public struct SandboxConfiguration: Sendable {
    /// Faults and latency in force at start and restored by `POST /_sandbox/reset`.
    public var faults: SandboxFaults
    /// How many sent messages and LLM calls are kept (each, ring buffer). Default 10,000.
    public var recordCapacity: Int
    /// Access tokens starting with this prefix are accepted without having been issued (nil: none).
    /// Default `"sandbox-"`, so a demo can seed tenants with tokens such as `sandbox-shop-1`.
    public var acceptedTokenPrefix: String?
    /// When set, chat completions require exactly this API key (401 otherwise); nil accepts any non-empty key.
    public var llmAPIKey: String?
    /// Whether `GET /oauth/authorize` answers `error=access_denied` instead of a code.
    public var deniesOAuth: Bool
    /// The Instagram account (`user_id`) the next OAuth login connects.
    public var oauthUserID: String
    /// The username of that account.
    public var oauthUsername: String
    /// The permissions granted by an OAuth login (comma-separated).
    public var oauthPermissions: String

    /// Creates a configuration with the documented defaults.
    public init(
        faults: SandboxFaults = SandboxFaults(),
        recordCapacity: Int = 10_000,
        acceptedTokenPrefix: String? = "sandbox-",
        llmAPIKey: String? = nil,
        deniesOAuth: Bool = false,
        oauthUserID: String = "17841400000000001",
        oauthUsername: String = "sandbox_shop",
        oauthPermissions: String = "instagram_business_basic,instagram_business_manage_messages"
    ) {
        self.faults = faults
        self.recordCapacity = recordCapacity
        self.acceptedTokenPrefix = acceptedTokenPrefix
        self.llmAPIKey = llmAPIKey
        self.deniesOAuth = deniesOAuth
        self.oauthUserID = oauthUserID
        self.oauthUsername = oauthUsername
        self.oauthPermissions = oauthPermissions
    }
}

extension SandboxConfiguration: CustomStringConvertible {
    /// A description without the LLM key.
    public var description: String {
        "SandboxConfiguration(recordCapacity: \(recordCapacity), tokenPrefix: \(acceptedTokenPrefix ?? "none"), "
            + "llmKey: \(llmAPIKey == nil ? "any" : "********"), deniesOAuth: \(deniesOAuth))"
    }
}
