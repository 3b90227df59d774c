import CryptoCore
public import Foundation
public import Store
import Synchronization

/// A data key id and its unwrapped key.
struct ActiveDataKey: Sendable {
    let id: Int
    let key: SymmetricKey
}

extension Vault {
    /// Seals a refreshed access token and stores it with its audit row in one statement (see
    /// ``IntegrationRepository/storeRefreshedToken(_:tenantID:integrationID:expiresAt:refreshedBefore:actor:details:)``).
    ///
    /// The active data key is cached in memory, so the common case costs one round trip; the statement stores
    /// only while that key is still active, and a rotation that demoted it in the meantime makes this call
    /// reload the active key and seal again.
    /// - Parameters:
    ///   - secret: the new token.
    ///   - tenantID: the tenant.
    ///   - integrationID: the integration.
    ///   - expiresAt: the new expiry.
    ///   - refreshedBefore: stores only if the integration was last refreshed before this (or never).
    ///   - actor: recorded in the audit log.
    ///   - details: extra audit details (never a secret).
    /// - Returns: `true` when stored; `false` when the integration is gone, not active, or was refreshed by
    ///   another run after `refreshedBefore`.
    /// - Throws: ``VaultError``, or a store error.
    public func storeRefreshedAccessToken(
        _ secret: Secret, tenantID: TenantID, integrationID: IntegrationID, expiresAt: Date?, refreshedBefore: Date,
        actor: String, details: [String: String] = [:]
    ) async throws -> Bool {
        for _ in 0..<3 {
            let active = try await cachedActiveDataKey()
            let sealed = try TokenCipher.seal(
                secret.revealedBytes(), keyID: active.id, key: active.key, tenantID: tenantID,
                integrationID: integrationID, field: Self.accessTokenField)
            switch try await repositories.integrations.storeRefreshedToken(
                sealed, tenantID: tenantID, integrationID: integrationID, expiresAt: expiresAt,
                refreshedBefore: refreshedBefore, actor: actor, details: details)
            {
            case .stored: return true
            case .unchanged: return false
            case .keyNotActive: forgetActiveDataKey(active.id)
            }
        }
        throw VaultError(.unknownKey, message: "the active data key kept changing while storing a refreshed token")
    }

    /// The active data key from the in-memory cache, or loaded (and cached) from the store.
    func cachedActiveDataKey() async throws -> ActiveDataKey {
        if let cached = cachedActiveKey.withLock({ $0 }) { return cached }
        let (id, key) = try await activeDataKey()
        let active = ActiveDataKey(id: id, key: key)
        cachedActiveKey.withLock { $0 = active }
        return active
    }

    /// Drops the cached active key if it is still `keyID`.
    func forgetActiveDataKey(_ keyID: Int) {
        cachedActiveKey.withLock { cached in
            if cached?.id == keyID { cached = nil }
        }
    }
}
