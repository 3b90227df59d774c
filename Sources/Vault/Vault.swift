import CryptoCore
public import Foundation
public import Logging
public import Store
import Synchronization

/// Envelope encryption of platform tokens: a master key (from the environment) wraps random data keys stored
/// in `encryption_keys`; tokens are sealed with AES-256-GCM under the active data key, bound to their tenant,
/// integration and field. Unwrapped data keys are cached in memory; nothing secret is logged.
///
/// ```swift
/// let vault = Vault(masterKey: try MasterKey(parsing: env["WOODSTOCK_MASTER_KEY"]), repositories: repos,
///                   logger: logger)
/// try await vault.storeAccessToken(Secret(token), tenantID: t, integrationID: i, expiresAt: exp, actor: "oauth")
/// let token = try await vault.accessToken(tenantID: t, integrationID: i)  // Secret?
/// ```
public final class Vault: Sendable {
    /// The field name bound into an access token's AAD.
    public static let accessTokenField = "access_token"

    let masterKeys: Mutex<[String: MasterKey]>
    let currentMaster: Mutex<MasterKey>
    let dataKeys = Mutex<[Int: SymmetricKey]>([:])
    /// The active data key as last seen; used only where the store re-checks that it is still active.
    let cachedActiveKey = Mutex<ActiveDataKey?>(nil)
    let repositories: Repositories
    let logger: Logger

    /// Creates a vault.
    /// - Parameters:
    ///   - masterKey: wraps new data keys.
    ///   - previousMasterKeys: still accepted to unwrap keys not yet re-wrapped (during master-key rotation).
    ///   - repositories: the store.
    ///   - logger: receives key events (ids only).
    public init(masterKey: MasterKey, previousMasterKeys: [MasterKey] = [], repositories: Repositories, logger: Logger)
    {
        var known: [String: MasterKey] = [:]
        for key in previousMasterKeys + [masterKey] { known[key.id] = key }
        self.masterKeys = Mutex(known)
        self.currentMaster = Mutex(masterKey)
        self.repositories = repositories
        self.logger = logger
    }

    /// Seals `secret` under the active data key (created on first use) for this tenant, integration and field.
    /// - Throws: ``VaultError``, or a store error.
    public func seal(
        _ secret: Secret, tenantID: TenantID, integrationID: IntegrationID, field: String = Vault.accessTokenField
    ) async throws -> SealedToken {
        let (keyID, key) = try await activeDataKey()
        return try TokenCipher.seal(
            secret.revealedBytes(), keyID: keyID, key: key, tenantID: tenantID, integrationID: integrationID,
            field: field)
    }

    /// Opens a sealed token.
    /// - Throws: ``VaultError/Code/unknownKey`` when its key id is not in `encryption_keys`,
    ///   ``VaultError/Code/corruptCiphertext`` when it was tampered with, copied from another row, or the key is
    ///   wrong; ``VaultError/Code/invalidMasterKey`` when its data key is wrapped by an unconfigured master key.
    public func open(
        _ sealed: SealedToken, tenantID: TenantID, integrationID: IntegrationID, field: String = Vault.accessTokenField
    ) async throws -> Secret {
        let keyID = try TokenCipher.keyID(of: sealed)
        let key = try await dataKey(id: keyID)
        return Secret(
            bytes: try TokenCipher.open(
                sealed, key: key, tenantID: tenantID, integrationID: integrationID, field: field))
    }

    /// Seals and stores an integration's access token (audited by the store).
    /// - Throws: ``VaultError``, or a store error (`notFound` when the integration is not the tenant's).
    public func storeAccessToken(
        _ secret: Secret, tenantID: TenantID, integrationID: IntegrationID, expiresAt: Date?, scopes: [String]? = nil,
        actor: String
    ) async throws {
        let sealed = try await seal(secret, tenantID: tenantID, integrationID: integrationID)
        try await repositories.integrations.storeToken(
            sealed, tenantID: tenantID, integrationID: integrationID, expiresAt: expiresAt, scopes: scopes,
            actor: actor)
    }

    /// The integration's access token, or `nil` when none is stored (or the integration is not the tenant's).
    /// - Throws: ``VaultError``, or a store error.
    public func accessToken(tenantID: TenantID, integrationID: IntegrationID) async throws -> Secret? {
        guard
            let sealed = try await repositories.integrations.sealedToken(
                tenantID: tenantID, integrationID: integrationID)
        else { return nil }
        return try await open(sealed, tenantID: tenantID, integrationID: integrationID)
    }

    // MARK: Data keys

    func activeDataKey() async throws -> (Int, SymmetricKey) {
        if let stored = try await repositories.keys.activeKey() {
            return (stored.id, try unwrapCached(stored))
        }
        var bytes = try randomKeyBytes()
        defer { SecureRandom.wipe(&bytes) }
        let master = currentMaster.withLock { $0 }
        let stored = try await repositories.keys.ensureActiveKey(
            wrappedKey: try wrap(bytes, with: master), masterKeyID: master.id, actor: "system:vault")
        logger.info("data key created", metadata: ["key.id": "\(stored.id)"])
        return (stored.id, try unwrapCached(stored))
    }

    func dataKey(id: Int) async throws -> SymmetricKey {
        if let key = dataKeys.withLock({ $0[id] }) { return key }
        guard let stored = try await repositories.keys.find(id: id) else {
            throw VaultError(.unknownKey, message: "data key \(id) is not in encryption_keys")
        }
        return try unwrapCached(stored)
    }

    func unwrapCached(_ stored: StoredDataKey) throws -> SymmetricKey {
        if let key = dataKeys.withLock({ $0[stored.id] }) { return key }
        let key = try unwrap(stored)
        dataKeys.withLock { $0[stored.id] = key }
        return key
    }

    func unwrap(_ stored: StoredDataKey) throws -> SymmetricKey {
        var bytes = try unwrapBytes(stored)
        defer { SecureRandom.wipe(&bytes) }
        do {
            return try SymmetricKey(bytes: bytes)
        } catch {
            throw VaultError(.corruptCiphertext, message: "data key \(stored.id) has the wrong length")
        }
    }

    func unwrapBytes(_ stored: StoredDataKey) throws -> [UInt8] {
        guard let master = masterKeys.withLock({ $0[stored.masterKeyID] }) else {
            throw VaultError(
                .invalidMasterKey,
                message: "data key \(stored.id) is wrapped by master key \(stored.masterKeyID), which is not configured"
                    + " (check WOODSTOCK_MASTER_KEY)")
        }
        do {
            return try AESGCM.open(stored.wrappedKey, using: master.key, authenticating: Self.wrapAAD(stored.id))
        } catch {
            throw VaultError(
                .invalidMasterKey, message: "data key \(stored.id) does not open with master key \(master.id)")
        }
    }

    /// Data keys are bound to the literal label only (their id is assigned by the database after wrapping).
    static func wrapAAD(_ keyID: Int) -> [UInt8] { Array("woodstock.data-key.v1".utf8) }

    func wrap(_ bytes: [UInt8], with master: MasterKey) throws -> [UInt8] {
        do {
            return try AESGCM.seal(bytes, using: master.key, authenticating: Self.wrapAAD(0))
        } catch {
            throw VaultError(.keyRotationFailed, message: "wrapping a data key failed")
        }
    }

    func randomKeyBytes() throws -> [UInt8] {
        do {
            return try SecureRandom.bytes(count: SymmetricKey.byteCount)
        } catch {
            throw VaultError(.keyRotationFailed, message: "random generation failed")
        }
    }
}
