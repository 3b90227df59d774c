import ArgumentParser
import Hummingbird
import Logging
import Meta
import NIOCore
import Web

/// `woodstock-bench webhook-server`: serves the real webhook router (signature check, parse, one enqueue call per
/// delivery into an enqueuer that only counts) on `--port`, and a bare Hummingbird 200 route on `--bare-port`, in
/// one process, so `scripts/bench.d/messages.sh` can run `wrk` against both in the same run.
struct WebhookBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook-server",
        abstract: "Serve the webhook router and a bare 200 route for wrk (scripts/bench messages)."
    )

    @Option(help: "Port of the webhook router.") var port = 18_081
    @Option(help: "Port of the bare Hummingbird 200 route.") var barePort = 18_082
    @Option(help: "App secret the benchmark signs with.") var secret = "bench-app-secret"

    /// Counts events and drops them: measures the intake alone.
    struct CountingEnqueuer: WebhookEnqueuing {
        func enqueueMessages(_ events: [WebhookEvent]) async throws {}
    }

    /// Always ready.
    struct AlwaysReady: ReadinessChecking {
        func checkReadiness() async -> [ReadinessStatus] { [ReadinessStatus(name: "bench", isReady: true)] }
    }

    func run() async throws {
        var logger = Logger(label: "woodstock.bench.webhook")
        logger.logLevel = .warning
        let webhookRouter = makeWebhookRouter(
            configuration: WebhookConfiguration(verifyToken: "bench-verify", appSecrets: [secret]),
            enqueuer: CountingEnqueuer(), readiness: AlwaysReady(), logger: logger)
        let bareRouter = Router()
        bareRouter.get("/") { _, _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ok"))) }
        bareRouter.post("/") { _, _ in Response(status: .ok) }
        let webhookApp = Application(
            router: webhookRouter, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        let bareApp = Application(
            router: bareRouter, configuration: .init(address: .hostname("127.0.0.1", port: barePort)), logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await webhookApp.runService() }
            group.addTask { try await bareApp.runService() }
            try await group.waitForAll()
        }
    }
}
