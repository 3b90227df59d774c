public import Hummingbird
public import Logging
import NIOCore
import NIOPosix

/// A local stand-in for Meta's Graph API (send, profile, OAuth, subscriptions) and an OpenAI-compatible
/// chat-completions endpoint, with fault injection, latency and recording of what it received.
///
/// Every delay is an event-loop timer awaited by the request's task, so thousands of slow calls can be in flight without
/// blocking a thread.
///
/// ```swift
/// let sandbox = SandboxServer(configuration: SandboxConfiguration(), logger: logger)
/// try await sandbox.makeApplication(host: "127.0.0.1", port: 9090).runService()
/// ```
///
/// Routes (Graph paths work with or without a `/vNN.N` prefix):
/// - `POST /{id|me}/messages`, `GET /{igsid}?fields=`, `GET /me?fields=`, `POST|GET /{id}/subscribed_apps`,
///   `GET /{id|me}/conversations?platform=&user_id=&fields=messages.limit(N){id,created_time,from,to,message}`
/// - `GET /oauth/authorize` (and `/dialog/oauth`): redirects at once with `code` and `state`
/// - `POST /oauth/access_token` (Instagram, form), `GET /oauth/access_token` (Facebook code / `fb_exchange_token`),
///   `GET /access_token?grant_type=ig_exchange_token`, `GET /refresh_access_token?grant_type=ig_refresh_token`,
///   `GET /me/accounts`
/// - `POST /v1/chat/completions` (also `/chat/completions`)
/// - control: `GET|POST /_sandbox/faults`, `POST /_sandbox/reset`, `GET /_sandbox/sent`, `GET /_sandbox/llm-calls`,
///   `POST /_sandbox/oauth`, `POST /_sandbox/tokens`, `POST /_sandbox/tokens/expire`
public struct SandboxServer: Sendable {
    let state: SandboxState
    let logger: Logger

    /// Creates a sandbox with its own, empty state.
    /// - Parameters:
    ///   - configuration: start-up faults, latency, OAuth behaviour and recording capacity.
    ///   - logger: where request failures are logged (never tokens or message text).
    public init(configuration: SandboxConfiguration = SandboxConfiguration(), logger: Logger) {
        self.state = SandboxState(configuration: configuration)
        self.logger = logger
    }

    /// Builds the router with every sandbox route.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.post("v1/chat/completions") { request, context in try await self.chatCompletions(request, context) }
        router.post("chat/completions") { request, context in try await self.chatCompletions(request, context) }
        addControlRoutes(to: router)
        router.get("**") { request, context in try await self.graph(request, context) }
        router.post("**") { request, context in try await self.graph(request, context) }
        router.delete("**") { request, context in try await self.graph(request, context) }
        return router
    }

    /// Builds a Hummingbird application serving ``makeRouter()`` on `host:port`.
    /// - Parameters:
    ///   - host: the address to bind, e.g. `127.0.0.1`.
    ///   - port: the port to bind (0 picks a free one).
    /// - Returns: the application; run it with `runService()` or test it with HummingbirdTesting.
    public func makeApplication(host: String, port: Int) -> some ApplicationProtocol {
        Application(
            router: makeRouter(),
            configuration: .init(address: .hostname(host, port: port), serverName: "woodstock-sandbox"),
            logger: logger
        )
    }

    /// Sleeps for `milliseconds` (cancellable; never blocks a thread).
    ///
    /// The timer is the current event loop's own (a `Task.sleep` wakes a Dispatch timer thread, which then wakes
    /// the event loop: two thread switches per delayed call, at 400 delayed LLM calls a second).
    func pause(_ milliseconds: Int) async throws {
        guard milliseconds > 0 else { return }
        let timer = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: .milliseconds(Int64(milliseconds))) {}
        do {
            try await withTaskCancellationHandler {
                try await timer.futureResult.get()
            } onCancel: {
                timer.cancel()
            }
        } catch {
            throw CancellationError()
        }
    }
}
