public import Foundation

/// A tenant's own assistant tool (`tenant_tools`): called as a signed HTTPS webhook (enterprise tier only).
///
/// The signing secret is stored sealed by the vault; this value holds only its ciphertext, never the secret.
public struct TenantTool: Sendable, Equatable {
    /// The row id (also bound into the sealed secret's AAD).
    public let id: UUID
    /// The owning tenant.
    public let tenantID: TenantID
    /// The function name the model calls (`^[a-zA-Z0-9_-]{1,64}$`, unique per tenant).
    public let name: String
    /// What the tool does, for the model.
    public let description: String
    /// The JSON Schema of the arguments, as JSON text.
    public let parametersJSON: String
    /// The `https://` endpoint the call is POSTed to.
    public let endpointURL: String
    /// The sealed signing secret (ciphertext and key id).
    public let sealedSecret: SealedToken
    /// How long one call may take, in milliseconds.
    public let timeoutMilliseconds: Int
    /// Whether the assistant is offered the tool.
    public let isEnabled: Bool
    /// When the tool was added.
    public let createdAt: Date
    /// When the signing secret was last set (added or rotated).
    public let secretRotatedAt: Date

    /// Creates a value (the repository builds these from rows).
    /// - Parameters:
    ///   - id: row id.
    ///   - tenantID: owning tenant.
    ///   - name: function name.
    ///   - description: description for the model.
    ///   - parametersJSON: JSON Schema text.
    ///   - endpointURL: webhook URL.
    ///   - sealedSecret: sealed signing secret.
    ///   - timeoutMilliseconds: call timeout.
    ///   - isEnabled: whether it is offered.
    ///   - createdAt: creation time.
    ///   - secretRotatedAt: when the secret was last set.
    public init(
        id: UUID, tenantID: TenantID, name: String, description: String, parametersJSON: String,
        endpointURL: String, sealedSecret: SealedToken, timeoutMilliseconds: Int, isEnabled: Bool, createdAt: Date,
        secretRotatedAt: Date
    ) {
        self.id = id
        self.tenantID = tenantID
        self.name = name
        self.description = description
        self.parametersJSON = parametersJSON
        self.endpointURL = endpointURL
        self.sealedSecret = sealedSecret
        self.timeoutMilliseconds = timeoutMilliseconds
        self.isEnabled = isEnabled
        self.createdAt = createdAt
        self.secretRotatedAt = secretRotatedAt
    }

    /// The vault field name bound into the sealed secret's AAD (with the tenant and ``id``).
    public static let secretField = "tenant_tools.signing_secret"
}

/// What ``TenantToolRepository/create(_:actor:maximumPerTenant:)`` stores.
public struct NewTenantTool: Sendable {
    /// The row id, chosen before sealing (the sealed secret is bound to it).
    public var id: UUID
    /// The owning tenant.
    public var tenantID: TenantID
    /// The function name.
    public var name: String
    /// The description.
    public var description: String
    /// The JSON Schema text.
    public var parametersJSON: String
    /// The endpoint URL.
    public var endpointURL: String
    /// The secret sealed for (`tenantID`, `id`, ``TenantTool/secretField``).
    public var sealedSecret: SealedToken
    /// The call timeout in milliseconds.
    public var timeoutMilliseconds: Int

    /// Creates the values to insert.
    /// - Parameters:
    ///   - id: row id.
    ///   - tenantID: owning tenant.
    ///   - name: function name.
    ///   - description: description.
    ///   - parametersJSON: JSON Schema text.
    ///   - endpointURL: endpoint.
    ///   - sealedSecret: sealed secret.
    ///   - timeoutMilliseconds: timeout.
    public init(
        id: UUID, tenantID: TenantID, name: String, description: String, parametersJSON: String, endpointURL: String,
        sealedSecret: SealedToken, timeoutMilliseconds: Int
    ) {
        self.id = id
        self.tenantID = tenantID
        self.name = name
        self.description = description
        self.parametersJSON = parametersJSON
        self.endpointURL = endpointURL
        self.sealedSecret = sealedSecret
        self.timeoutMilliseconds = timeoutMilliseconds
    }
}
