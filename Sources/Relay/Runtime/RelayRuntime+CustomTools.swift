import CustomTools
import Messaging
import Store
import Vault

extension RelayRuntime {
    /// Enterprise tenants' own tools for process-message: stored tools, secrets opened by `vault` per call,
    /// calls made by the dedicated tools HTTP client under ``Settings/customTools``.
    /// - Parameter vault: opens the signing secrets.
    /// - Returns: the provider for ``MessagingDependencies/customTools``.
    func makeCustomToolProvider(vault: Vault) -> CustomToolProvider {
        let catalog = CustomToolCatalog(
            repository: TenantToolRepository(pool: pool), vault: vault,
            executor: CustomToolExecutor(http: toolsHTTP, settings: settings.customTools, logger: logger),
            settings: settings.customTools, logger: logger, listLifetime: .seconds(5))
        return { tenantID, tier, conversationID, builtInNames in
            await catalog.tools(
                tenantID: tenantID, tier: tier, conversationID: conversationID, builtInNames: builtInNames)
        }
    }
}

extension RelayRuntime {
    /// Re-seals tool signing secrets under the active data key (run by `rotate-keys` after the token rotation).
    /// - Parameter vault: the vault.
    /// - Returns: the resealer.
    func makeToolSecretResealer(vault: Vault) -> ToolSecretResealer {
        ToolSecretResealer(
            tools: TenantToolRepository(pool: pool), keys: repositories.keys, vault: vault, logger: logger)
    }
}
