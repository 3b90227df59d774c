public import CoreMetrics
import Foundation
import HTTPTypes
public import Hummingbird
public import Logging
import Meta
import NIOCore
import Redis

/// Builds a router with the Meta webhook routes and `/healthz`, `/readyz`.
///
/// ```swift
/// let router = makeWebhookRouter(configuration: settings.webhook, enqueuer: bridge, readiness: checks, logger: logger)
/// let app = Application(router: router, configuration: .init(address: .hostname("0.0.0.0", port: 8080)))
/// ```
/// - Parameters:
///   - configuration: verify token, app secrets, body size limit, path.
///   - enqueuer: receives each accepted delivery's events, once per request.
///   - readiness: answers `/readyz`.
///   - logger: request outcomes at debug, failures at error (never bodies, tokens or secrets).
///   - metricsFactory: where the `woodstock.webhook.*` counters go; the bootstrapped global system by default.
/// - Returns: a router for `BasicRequestContext`; add more routes to it as needed.
public func makeWebhookRouter(
    configuration: WebhookConfiguration, enqueuer: some WebhookEnqueuing, readiness: some ReadinessChecking,
    logger: Logger, metricsFactory: any MetricsFactory = MetricsSystem.factory
) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    addWebhookRoutes(
        to: router, configuration: configuration, enqueuer: enqueuer, readiness: readiness, logger: logger,
        metricsFactory: metricsFactory)
    return router
}

/// Adds the webhook routes (`GET`/`POST` ``WebhookConfiguration/path``), `GET /healthz` and `GET /readyz` to
/// an existing router.
///
/// - `GET path`: the subscription handshake: 200 `text/plain` challenge, else 403.
/// - `POST path`: body over the limit → 413; missing or wrong `X-Hub-Signature-256` → 401; not JSON → 400
///   (counted); else one ``WebhookEnqueuing/enqueueMessages(_:)`` call with every event, then 200. Nothing is
///   enqueued unless the signature is valid. An enqueue failure or any unexpected error → bare 500 (503 when a
///   durable enqueue was not confirmed by a replica in time).
/// - `GET /healthz`: 200 while the process serves. `GET /readyz`: 200 when every readiness check passes, else 503.
/// - Parameters: see ``makeWebhookRouter(configuration:enqueuer:readiness:logger:metricsFactory:)``.
public func addWebhookRoutes<Context: RequestContext>(
    to router: Router<Context>, configuration: WebhookConfiguration, enqueuer: some WebhookEnqueuing,
    readiness: some ReadinessChecking, logger: Logger, metricsFactory: any MetricsFactory = MetricsSystem.factory
) {
    let routes = WebhookRoutes(
        configuration: configuration, verifier: WebhookSignatureVerifier(appSecrets: configuration.appSecrets),
        enqueuer: enqueuer, readiness: readiness, metrics: WebhookMetrics(factory: metricsFactory), logger: logger)
    router.get(RouterPath(configuration.path)) { request, _ in routes.handshake(request) }
    router.post(RouterPath(configuration.path)) { request, _ in await routes.receive(request) }
    router.get("healthz") { _, _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ok"))) }
    router.get("readyz") { _, _ in await routes.ready() }
}

/// The handlers behind ``addWebhookRoutes(to:configuration:enqueuer:readiness:logger:metricsFactory:)``.
struct WebhookRoutes<Enqueuer: WebhookEnqueuing, Readiness: ReadinessChecking>: Sendable {
    let configuration: WebhookConfiguration
    let verifier: WebhookSignatureVerifier
    let enqueuer: Enqueuer
    let readiness: Readiness
    let metrics: WebhookMetrics
    let logger: Logger

    func handshake(_ request: Request) -> Response {
        let query = request.uri.queryParameters
        guard
            let challenge = WebhookHandshake.challenge(
                mode: query["hub.mode"].map(String.init), verifyToken: query["hub.verify_token"].map(String.init),
                challenge: query["hub.challenge"].map(String.init), expectedToken: configuration.verifyToken)
        else {
            logger.warning("webhook handshake refused")
            return Response(status: .forbidden)
        }
        logger.info("webhook handshake accepted")
        return Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: challenge)))
    }

    func receive(_ request: Request) async -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > configuration.maxBodyBytes {
            metrics.tooLarge.increment()
            return Response(status: .contentTooLarge)
        }
        let body: [UInt8]
        do {
            let buffer = try await request.body.collect(upTo: configuration.maxBodyBytes)
            body = Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            metrics.tooLarge.increment()
            return Response(status: .contentTooLarge)
        } catch {
            logger.warning("webhook body could not be read", metadata: ["error.type": "\(type(of: error))"])
            metrics.failed.increment()
            return Response(status: .badRequest)
        }
        guard verifier.isValid(signatureHeader: request.headers[Self.signatureField], body: body) else {
            metrics.unauthorized.increment()
            logger.warning(
                "webhook signature refused",
                metadata: ["signature.present": "\(request.headers[Self.signatureField] != nil)"])
            return Response(status: .unauthorized)
        }
        let batch: WebhookBatch
        do {
            batch = try WebhookParser.parse(body)
        } catch {
            metrics.malformed.increment()
            metrics.malformedRequests.increment()
            logger.warning("webhook body is not JSON", metadata: ["body.bytes": "\(body.count)"])
            return Response(status: .badRequest)
        }
        do {
            if !batch.events.isEmpty { try await enqueuer.enqueueMessages(batch.events) }
        } catch {
            metrics.failed.increment()
            logger.error(
                "webhook enqueue failed", metadata: ["error": "\(error)", "events": "\(batch.events.count)"])
            // Not on a replica in time (durable enqueue): 503, so Meta redelivers; the job engine drops the duplicate.
            let notReplicated = (error as? RedisError)?.code == .notReplicated
            return Response(status: notReplicated ? .serviceUnavailable : .internalServerError)
        }
        metrics.accepted.increment()
        metrics.events.increment(by: batch.events.count)
        logger.debug(
            "webhook accepted",
            metadata: [
                "webhook.object": "\(batch.object)", "events": "\(batch.events.count)",
                "changes.ignored": "\(batch.ignoredChanges)",
            ])
        return Response(status: .ok)
    }

    func ready() async -> Response {
        let statuses = await withTaskGroup(of: [ReadinessStatus]?.self) { group in
            group.addTask { await readiness.checkReadiness() }
            group.addTask { [timeout = configuration.readinessTimeout] in
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let statuses else {
            logger.warning("readiness check timed out")
            return Response(status: .serviceUnavailable)
        }
        let isReady = statuses.allSatisfy(\.isReady)
        let text = statuses.map { "\($0.name): \($0.isReady ? "ok" : "down")" }.joined(separator: "\n") + "\n"
        return Response(
            status: isReady ? .ok : .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static var signatureField: HTTPField.Name {
        HTTPField.Name(WebhookSignatureVerifier.headerName) ?? .authorization
    }
}
