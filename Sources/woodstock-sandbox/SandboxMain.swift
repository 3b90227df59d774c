import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import SandboxServer

/// `woodstock-sandbox`: a local stand-in for Meta's Graph API and an OpenAI-compatible LLM.
///
/// Flags override environment variables (`SANDBOX_FAULTS`, `SANDBOX_GRAPH_LATENCY_MS`, `SANDBOX_LLM_LATENCY_MS`,
/// `SANDBOX_TOKEN_PREFIX`, `SANDBOX_LLM_API_KEY`, `SANDBOX_DENY_OAUTH`), which override the defaults.
@main
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "woodstock-sandbox",
        abstract: "Local stand-in for Meta's Graph API and an OpenAI-compatible LLM (tests, demo, benchmarks)."
    )

    @Option(help: "Address to bind.") var host = "127.0.0.1"
    @Option(help: "Port to bind.") var port = 9090
    @Option(help: "Latency of every Graph call in ms: \"20\" or \"10-50\". Env SANDBOX_GRAPH_LATENCY_MS.")
    var graphLatencyMs: String?
    @Option(help: "Latency of every LLM call in ms: \"1500\" or \"1000-2000\". Env SANDBOX_LLM_LATENCY_MS.")
    var llmLatencyMs: String?
    @Option(help: "Fault set as JSON, or @path to a JSON file (see POST /_sandbox/faults). Env SANDBOX_FAULTS.")
    var faults: String?
    @Option(help: "Sent messages and LLM calls kept in memory (each).") var recordCapacity = 10_000
    @Option(help: "Tokens with this prefix are valid without OAuth (\"none\" disables). Env SANDBOX_TOKEN_PREFIX.")
    var tokenPrefix: String?
    @Option(help: "Require this LLM API key (default: any non-empty key). Env SANDBOX_LLM_API_KEY.")
    var llmAPIKey: String?
    @Flag(help: "OAuth authorize answers error=access_denied. Env SANDBOX_DENY_OAUTH=1.") var denyOAuth = false
    @Option(help: "The Instagram user_id an OAuth login connects.") var oauthUserID = "17841400000000001"
    @Option(help: "Log level (trace, debug, info, notice, warning, error).") var logLevel = "info"
    @Option(help: "Event loop threads; tasks run on them too (1 keeps a test tool's wake-ups and CPU low).")
    var eventLoopThreads = 1

    func run() async throws {
        // Tasks run on the event loop threads instead of hopping to Swift's cooperative pool and back for every
        // request: a third of the sandbox's CPU under load was thread switches (perf, scripts/bench e2e).
        NIOSingletons.groupLoopCountSuggestion = max(1, eventLoopThreads)
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        let environment = ProcessInfo.processInfo.environment
        var logger = Logger(label: "woodstock.sandbox")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info

        var faultSet = SandboxFaults()
        if let text = faults ?? environment["SANDBOX_FAULTS"], !text.isEmpty {
            let data =
                text.hasPrefix("@")
                ? try Data(contentsOf: URL(fileURLWithPath: String(text.dropFirst()))) : Data(text.utf8)
            do {
                faultSet = try JSONDecoder().decode(SandboxFaults.self, from: data)
            } catch {
                throw ValidationError("invalid --faults / SANDBOX_FAULTS JSON: \(error)")
            }
        }
        if let text = graphLatencyMs ?? environment["SANDBOX_GRAPH_LATENCY_MS"] {
            guard let spec = LatencySpec(parsing: text) else {
                throw ValidationError("invalid --graph-latency-ms / SANDBOX_GRAPH_LATENCY_MS: \(text)")
            }
            faultSet.graphLatency = spec
        }
        if let text = llmLatencyMs ?? environment["SANDBOX_LLM_LATENCY_MS"] {
            guard let spec = LatencySpec(parsing: text) else {
                throw ValidationError("invalid --llm-latency-ms / SANDBOX_LLM_LATENCY_MS: \(text)")
            }
            faultSet.llmLatency = spec
        }
        let prefix = tokenPrefix ?? environment["SANDBOX_TOKEN_PREFIX"] ?? "sandbox-"
        let configuration = SandboxConfiguration(
            faults: faultSet,
            recordCapacity: recordCapacity,
            acceptedTokenPrefix: prefix == "none" || prefix.isEmpty ? nil : prefix,
            llmAPIKey: llmAPIKey ?? environment["SANDBOX_LLM_API_KEY"],
            deniesOAuth: denyOAuth || environment["SANDBOX_DENY_OAUTH"] == "1",
            oauthUserID: oauthUserID
        )
        logger.info("sandbox starting", metadata: ["host": "\(host)", "port": "\(port)"])
        let sandbox = SandboxServer(configuration: configuration, logger: logger)
        try await sandbox.makeApplication(host: host, port: port).runService()
    }
}
