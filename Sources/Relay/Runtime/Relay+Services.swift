import Foundation
import Hummingbird
import Jobs
public import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import UnixSignals
import Vault
import Web

extension Relay {
    /// The process-wide Prometheus registry behind swift-metrics, installed once.
    static let metricsRegistry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// `woodstock serve`: the webhook intake, health and metrics endpoints, until SIGTERM/SIGINT.
    ///
    /// The webhook verifies the signature and enqueues one `process-message` job per event; nothing else.
    /// - Throws: ``SettingsError`` naming a missing secret (`META_VERIFY_TOKEN`, an app secret).
    public static func serve(_ settings: Settings, logger: Logger) async throws {
        let registry = metricsRegistry
        let secrets = [settings.instagramAppSecret, settings.metaAppSecret].compactMap { $0?.revealed() }
        guard !secrets.isEmpty else {
            throw SettingsError(variable: "INSTAGRAM_APP_SECRET", problem: "missing (or set META_APP_SECRET)")
        }
        let verifyToken = try settings.require(settings.metaVerifyToken, "META_VERIFY_TOKEN").revealed()
        let runtime = try RelayRuntime(settings: settings, logger: logger)
        let router = makeWebhookRouter(
            configuration: WebhookConfiguration(verifyToken: verifyToken, appSecrets: secrets),
            enqueuer: WebhookJobBridge(jobs: runtime.makeIntakeJobs()),
            readiness: ReadinessProbe(redis: runtime.redis, pool: runtime.pool), logger: logger)
        addMetricsRoute(to: router, registry: registry)
        try addAdminRoutes(to: router, runtime: runtime, settings: settings, logger: logger)
        if settings.masterKey != nil {
            OnboardingRoutes(
                onboarding: try runtime.makeOnboarding(), adminToken: settings.adminToken?.revealed(), logger: logger
            ).add(to: router)
        } else {
            logger.warning("WOODSTOCK_MASTER_KEY unset: OAuth onboarding routes are off")
        }
        try addTenantPages(to: router, runtime: runtime, logger: logger)
        let webchat = try addWebchat(to: router, runtime: runtime, logger: logger)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: nil),
            logger: logger)
        try await runServices([app] + webchat, runtime: runtime, logger: logger)
    }

    /// `woodstock work`: runs jobs from the given queues (all queues in `jobs/` by default) until
    /// SIGTERM/SIGINT, then finishes in-flight jobs within the grace period and hands the rest back.
    public static func work(_ settings: Settings, logger: Logger) async throws {
        _ = metricsRegistry
        let runtime = try RelayRuntime(settings: settings, logger: logger)
        let worker = try JobWorker(
            redis: runtime.redis, catalog: runtime.catalog, registry: try runtime.makeRegistry(),
            configuration: JobWorkerConfiguration(
                queues: settings.workerQueues.isEmpty ? nil : settings.workerQueues,
                concurrency: settings.workerConcurrency, leaseDuration: .seconds(settings.leaseSeconds),
                heartbeatInterval: .seconds(max(1, settings.leaseSeconds / 3))),
            logger: logger)
        try await runServices([worker] + metricsServer(settings, logger: logger), runtime: runtime, logger: logger)
    }

    /// `GET /metrics`: every swift-metrics value of this process in Prometheus' text format.
    static func addMetricsRoute(to router: Router<BasicRequestContext>, registry: PrometheusCollectorRegistry) {
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }

    /// A `/metrics`-only server for `work` when `WOODSTOCK_METRICS_PORT` is set (jobs' metrics live there).
    static func metricsServer(_ settings: Settings, logger: Logger) -> [any Service] {
        guard let port = settings.metricsPort else { return [] }
        let router = Router(context: BasicRequestContext.self)
        addMetricsRoute(to: router, registry: metricsRegistry)
        return [
            Application(
                router: router, configuration: .init(address: .hostname(settings.host, port: port), serverName: nil),
                logger: logger)
        ]
    }

    /// `woodstock schedule`: enqueues each due `crontab` line once per minute, with the unique key
    /// `JOB@minute`, so any number of schedulers (and system cron) enqueue each tick exactly once.
    public static func schedule(_ settings: Settings, logger: Logger) async throws {
        let runtime = try RelayRuntime(settings: settings, logger: logger)
        let crontab = try Crontab.load(path: settings.crontabPath)
        try crontab.validate(catalog: runtime.catalog)
        let scheduler = Scheduler(
            crontab: crontab, enqueuer: runtime.jobs, markers: RedisScheduleMarkerStore(redis: runtime.redis),
            logger: logger)
        try await runServices([scheduler], runtime: runtime, logger: logger)
    }

    /// Runs services in one group with graceful shutdown on SIGTERM/SIGINT, then closes the runtime.
    static func runServices(_ services: [any Service], runtime: RelayRuntime, logger: Logger) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        do {
            try await group.run()
            await runtime.close()
        } catch {
            await runtime.close()
            throw error
        }
    }
}
