public import Foundation

/// Lifecycle of a data key.
public enum DataKeyState: String, Sendable, Codable {
    /// New tokens are sealed under it (at most one).
    case active
    /// Being rotated away from; still opens the tokens not yet re-encrypted.
    case retiring
    /// No token uses it any more (kept, wrapped, for audit).
    case retired
}

/// A data key as stored in `encryption_keys`: wrapped (sealed) by the master key, never in clear.
public struct StoredDataKey: Sendable, Equatable {
    /// The key id recorded in every ciphertext sealed under it.
    public let id: Int
    /// The data key sealed under the master key.
    public let wrappedKey: [UInt8]
    /// Fingerprint of the master key that wrapped it (not secret).
    public let masterKeyID: String
    /// Lifecycle state.
    public let state: DataKeyState
    /// When it was created.
    public let createdAt: Date
}

/// One token as the rotation sees it: where it lives and its sealed bytes.
public struct StoredTokenRow: Sendable, Equatable {
    /// The integration holding it.
    public let integrationID: IntegrationID
    /// The owning tenant (part of the AAD).
    public let tenantID: TenantID
    /// The sealed token.
    public let sealed: SealedToken

    /// Creates a row.
    public init(integrationID: IntegrationID, tenantID: TenantID, sealed: SealedToken) {
        self.integrationID = integrationID
        self.tenantID = tenantID
        self.sealed = sealed
    }
}
