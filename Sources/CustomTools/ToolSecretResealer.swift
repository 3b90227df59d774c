import Foundation
public import Logging
public import Store
public import Vault

/// Re-seals every tool signing secret that is not under the active data key, so a data-key rotation covers tool
/// secrets as it covers platform tokens (`rotate-keys` runs it after ``Vault/rotateDataKeys(batchSize:workers:actor:)``).
///
/// Until it runs, a secret under an older key still opens: rotation keeps retired keys, and `tenant_tools`
/// references its key, so the key cannot be deleted while a tool uses it. Resumable and safe to run twice at once:
/// a row is only updated if it is still under the key it was read with. A secret that does not open is logged
/// (tool id only) and left as it is.
public struct ToolSecretResealer: Sendable {
    private let tools: TenantToolRepository
    private let keys: KeyRepository
    private let vault: Vault
    private let logger: Logger

    /// Creates a resealer.
    /// - Parameters:
    ///   - tools: the tool repository.
    ///   - keys: the data keys (to find the active one).
    ///   - vault: opens and seals.
    ///   - logger: a summary line; ids only.
    public init(tools: TenantToolRepository, keys: KeyRepository, vault: Vault, logger: Logger) {
        self.tools = tools
        self.keys = keys
        self.vault = vault
        self.logger = logger
    }

    /// Re-seals every secret not under the active key.
    /// - Parameter batchSize: rows read per query.
    /// - Returns: how many secrets were re-sealed.
    /// - Throws: a store error or `CancellationError`.
    @discardableResult
    public func resealAll(batchSize: Int = 500) async throws -> Int {
        guard let active = try await keys.activeKey() else { return 0 }
        var resealed = 0
        var after: UUID? = nil
        while true {
            try Task.checkCancellation()
            let batch = try await tools.sealedUnderOtherKeys(than: active.id, after: after, limit: max(1, batchSize))
            guard let last = batch.last else { break }
            after = last.id
            for tool in batch {
                do {
                    let secret = try await vault.open(
                        tool.sealedSecret, tenantID: tool.tenantID, integrationID: IntegrationID(tool.id),
                        field: TenantTool.secretField)
                    let sealed = try await vault.seal(
                        secret, tenantID: tool.tenantID, integrationID: IntegrationID(tool.id),
                        field: TenantTool.secretField)
                    if try await tools.storeResealed(
                        sealed, tenantID: tool.tenantID, toolID: tool.id, previousKeyID: tool.sealedSecret.keyID)
                    {
                        resealed += 1
                    }
                } catch let error as VaultError {
                    logger.error(
                        "tool secret could not be re-sealed",
                        metadata: ["tool.id": "\(tool.id.uuidString.lowercased())", "error.code": "\(error.code)"])
                }
            }
        }
        logger.info("tool secrets re-sealed", metadata: ["key.id": "\(active.id)", "tools": "\(resealed)"])
        return resealed
    }
}
