public import Foundation

/// A platform integration's id.
public struct IntegrationID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The UUID.
    public let rawValue: UUID
    /// Wraps a UUID.
    public init(_ rawValue: UUID) { self.rawValue = rawValue }
    /// A new random id.
    public static func random() -> IntegrationID { IntegrationID(UUID()) }
    /// The UUID in lowercase.
    public var description: String { rawValue.uuidString.lowercased() }

    /// Decodes from a bare UUID string.
    /// - Throws: `DecodingError` when it is not a UUID.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(UUID.self)
    }

    /// Encodes as a bare lowercase UUID string.
    /// - Throws: `EncodingError`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A messaging platform.
public enum Platform: String, Sendable, Codable, CaseIterable {
    /// Instagram professional account.
    case instagram
    /// Facebook Page.
    case facebook
    /// The tenant's website chat widget.
    case webchat
}

/// Whether an integration can be used.
public enum IntegrationStatus: String, Sendable, Codable, CaseIterable {
    /// Token valid.
    case active
    /// Token expired or revoked: the tenant must reconnect.
    case needsReauth = "needs_reauth"
    /// Switched off.
    case disabled
}

/// A token as stored: the sealed bytes plus the key id and format version they were sealed with.
/// Opaque to `Store`; ``Vault`` produces and opens it.
public struct SealedToken: Sendable, Equatable {
    /// Format version, key id, nonce, ciphertext and tag.
    public let ciphertext: [UInt8]
    /// The `encryption_keys.id` it was sealed under.
    public let keyID: Int
    /// The ciphertext format version.
    public let formatVersion: Int

    /// Creates a sealed token.
    public init(ciphertext: [UInt8], keyID: Int, formatVersion: Int) {
        self.ciphertext = ciphertext
        self.keyID = keyID
        self.formatVersion = formatVersion
    }
}

/// A tenant's connection to one platform account (`platform_integrations` row). Never holds a token in clear.
public struct Integration: Sendable, Equatable {
    /// The id.
    public let id: IntegrationID
    /// The owning tenant.
    public let tenantID: TenantID
    /// The platform.
    public let platform: Platform
    /// The platform's account id (Instagram user id, Page id, widget id).
    public let accountID: String
    /// The account's display name.
    public var accountName: String?
    /// When the token expires.
    public var expiresAt: Date?
    /// Granted scopes.
    public var scopes: [String]
    /// Status.
    public var status: IntegrationStatus
    /// When the token was last refreshed.
    public var lastRefreshedAt: Date?
    /// Whether a token is stored.
    public var hasToken: Bool
    /// The key id the token is sealed under, if any.
    public var tokenKeyID: Int?
}
