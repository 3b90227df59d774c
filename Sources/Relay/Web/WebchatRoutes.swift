import CryptoCore
import Hummingbird
import Logging
import Messaging
import ServiceLifecycle
import Vault
import Web

extension Relay {
    /// Adds the webchat routes (`/webchat/...`) to `serve`'s router and returns the service that fans replies out
    /// to open event streams; empty (routes off, with a warning) without `WOODSTOCK_MASTER_KEY`, from which the
    /// visitor-token key is derived.
    /// - Parameters:
    ///   - router: `serve`'s router.
    ///   - runtime: The process's clients.
    ///   - logger: The base logger.
    /// - Returns: The hub service; run it after the HTTP server in the same group, so that on shutdown it
    ///   stops first and every open event stream ends cleanly before the server drains.
    /// - Throws: `CryptoError` if the key derivation fails.
    static func addWebchat(
        to router: Router<BasicRequestContext>, runtime: RelayRuntime, logger: Logger
    ) throws -> [any Service] {
        guard let masterKey = runtime.settings.masterKey else {
            logger.warning("WOODSTOCK_MASTER_KEY unset: webchat routes are off")
            return []
        }
        let channel = WebchatChannel(redis: runtime.redis)
        let hub = WebchatHub(channel: channel, logger: logger)
        let service = WebchatService(
            directory: WebchatTenantDirectory(repositories: runtime.repositories),
            tokens: WebchatVisitorTokens(key: try WebchatVisitorTokens.deriveKey(from: masterKey.revealedBytes())),
            limiter: WebchatRateLimiter(redis: runtime.redis), channel: channel, hub: hub, jobs: runtime.jobs,
            logger: logger)
        addWebchatRoutes(to: router, service: service)
        return [WebchatHubService(hub: hub)]
    }
}

/// Runs a ``WebchatHub`` as a service: it follows the notification stream until graceful shutdown, then ends
/// every open event stream.
struct WebchatHubService: Service {
    let hub: WebchatHub

    func run() async throws {
        try await cancelWhenGracefulShutdown { try await hub.run() }
    }
}
