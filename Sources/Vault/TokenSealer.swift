import CryptoCore
public import Store

/// Seals many tokens under one data key without a database round trip each (bulk import, benchmarks).
/// Take a fresh one from ``Vault/sealer()`` for each batch: a sealer keeps the key that was active when made.
public struct TokenSealer: Sendable {
    /// The key id the sealer seals under.
    public let keyID: Int
    let key: SymmetricKey

    /// Seals `secret` for this tenant, integration and field.
    /// - Throws: ``VaultError``.
    public func seal(
        _ secret: Secret, tenantID: TenantID, integrationID: IntegrationID, field: String = Vault.accessTokenField
    ) throws -> SealedToken {
        try TokenCipher.seal(
            secret.revealedBytes(), keyID: keyID, key: key, tenantID: tenantID, integrationID: integrationID,
            field: field)
    }
}

extension Vault {
    /// A sealer bound to the active data key (created on first use).
    /// - Throws: ``VaultError``, or a store error.
    public func sealer() async throws -> TokenSealer {
        let (keyID, key) = try await activeDataKey()
        return TokenSealer(keyID: keyID, key: key)
    }
}
