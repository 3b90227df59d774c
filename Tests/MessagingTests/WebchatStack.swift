import CryptoCore
import Foundation
import HTTP
import Hummingbird
import Jobs
import Logging
import Messaging
import NIOCore
import Redis
import ServiceLifecycle
import Store
import Synchronization
import TestSupport
import Web

/// The webchat channel end to end: the routes on a live server on a free port, a worker running
/// process-message from a private queue against the sandbox LLM, and the hub fanning replies out.
struct WebchatStack {
    let harness: MessagingHarness
    let service: WebchatService
    let http: HTTPClient
    let baseURL: String
    /// Stops the hub (as graceful shutdown does).
    let stopHub: @Sendable () -> Void
    /// Tenants made by ``makeTenant(_:tier:settings:)``, whose conversation streams are deleted afterwards.
    let tenants = WebchatTenantList()

    /// A tenant of `tier` (its webchat integration is created by the first request).
    func makeTenant(_ name: String, tier: Store.Tier = .professional, settings: [String: String] = [:])
        async throws -> TenantID
    {
        let id = try await harness.repositories.tenants.create(
            name: name, tier: tier, persona: Store.Persona(name: name, instructions: "Be kind.", settings: settings),
            actor: "test"
        ).id
        tenants.append(id)
        return id
    }

    /// `POST /webchat/{tenant}/visitors`.
    func issueVisitor(_ tenant: TenantID) async throws -> (status: Int, visitorID: String, token: String) {
        let response = try await request("POST", "/webchat/\(tenant)/visitors", body: "{}")
        let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: String]
        return (response.status, object?["visitorID"] ?? "", object?["token"] ?? "")
    }

    /// `POST /webchat/{tenant}/messages`.
    func post(_ text: String, to tenant: TenantID, token: String?, origin: String? = nil) async throws
        -> HTTP.HTTPResponse
    {
        let body = String(decoding: try JSONEncoder().encode(["text": text]), as: UTF8.self)
        return try await request("POST", "/webchat/\(tenant)/messages", body: body, token: token, origin: origin)
    }

    /// Any request to the relay.
    func request(
        _ method: String, _ path: String, body: String? = nil, token: String? = nil, origin: String? = nil
    ) async throws -> HTTP.HTTPResponse {
        var headers: HTTP.HTTPHeaders = ["Content-Type": "application/json"]
        if let token { headers.add(name: WebchatVisitorTokens.headerName, value: token) }
        if let origin { headers.add(name: "Origin", value: origin) }
        return try await http.execute(
            HTTP.HTTPRequest(
                method: HTTP.HTTPMethod(method), url: baseURL + path, headers: headers,
                body: body.map { Array($0.utf8) },
                timeout: .seconds(10)))
    }

    /// Opens the visitor's event stream.
    func events(_ tenant: TenantID, token: String?, lastEventID: String? = nil) throws -> WebchatEventReader {
        try WebchatEventReader(url: baseURL + "/webchat/\(tenant)/events", token: token, lastEventID: lastEventID)
    }
}

/// Runs `body` with a webchat stack; everything is stopped and its keys deleted afterwards.
func withWebchatStack(
    limits: WebchatRateLimiter.Limits = .init(), _ body: (WebchatStack) async throws -> Void
) async throws {
    try await withMessagingHarness { harness in
        let logger = Logger(label: "test.webchat")
        let queue = TestEnvironment.uniqueName("test-webchat")
        let catalog = try JobCatalog([
            JobDefinition(
                name: MessagingModule.processMessageJob, queue: queue, priority: 100, maxAttempts: 3,
                backoff: .init(base: .milliseconds(100), maximum: .seconds(1), jitter: 0), timeout: .seconds(30))
        ])
        var registry = JobRegistry()
        MessagingModule.register(in: &registry, dependencies: harness.dependencies)
        let channel = WebchatChannel(redis: harness.redis)
        let hub = WebchatHub(channel: channel, logger: logger, blockMilliseconds: 1_000)
        let limiterPrefix = TestEnvironment.uniqueName("test:webchat")
        let service = WebchatService(
            directory: WebchatTenantDirectory(repositories: harness.repositories, cacheSeconds: 0),
            tokens: WebchatVisitorTokens(key: try SecureRandom.bytes(count: 32)),
            limiter: WebchatRateLimiter(redis: harness.redis, keyPrefix: limiterPrefix, limits: limits),
            channel: channel, hub: hub, jobs: JobClient(redis: harness.redis, catalog: catalog, logger: logger),
            configuration: WebchatConfiguration(heartbeatInterval: .seconds(1), limits: limits), logger: logger)
        let router = Router(context: BasicRequestContext.self)
        addWebchatRoutes(to: router, service: service)
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let worker = try JobWorker(
            redis: harness.redis, catalog: catalog, registry: registry,
            configuration: JobWorkerConfiguration(
                queues: [queue], concurrency: 4, fetchBatchSize: 4, leaseDuration: .seconds(5),
                heartbeatInterval: .seconds(1), idleWait: .milliseconds(50), shutdownGracePeriod: .seconds(2)),
            logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: app), .init(service: worker)], logger: logger))
        let http = try HTTPClient(logger: logger)
        let hubTask = Task { try await hub.run() }
        let patterns = Mutex(["woodstock:jobs:\\{\(queue)\\}*", "\(limiterPrefix)*"])
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                var iterator = ports.makeAsyncIterator()
                let port = await iterator.next() ?? 0
                let stack = WebchatStack(
                    harness: harness, service: service, http: http, baseURL: "http://127.0.0.1:\(port)",
                    stopHub: { hubTask.cancel() })
                defer {
                    patterns.withLock { $0 += stack.tenants.all.map { "woodstock:webchat:\\{\($0)\\}*" } }
                }
                do {
                    try await body(stack)
                } catch {
                    hubTask.cancel()
                    await group.triggerGracefulShutdown()
                    throw error
                }
                hubTask.cancel()
                _ = await hubTask.result
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        } catch {
            hubTask.cancel()
            await http.shutdown()
            try? await deleteWebchatKeys(patterns.withLock { $0 }, queue: queue, redis: harness.redis)
            throw error
        }
        await http.shutdown()
        try await deleteWebchatKeys(patterns.withLock { $0 }, queue: queue, redis: harness.redis)
    }
}

private func deleteWebchatKeys(_ patterns: [String], queue: String, redis: RedisClient) async throws {
    for pattern in patterns {
        var cursor = "0"
        repeat {
            let reply = try await redis.send("SCAN", cursor, "MATCH", pattern, "COUNT", 1_000)
            guard let parts = reply.array, parts.count == 2 else { break }
            cursor = parts[0].string ?? "0"
            let keys = (parts[1].array ?? []).compactMap(\.bytes)
            if !keys.isEmpty { _ = try await redis.send(RedisCommand("DEL", arguments: keys)) }
        } while cursor != "0"
    }
    _ = try await redis.send("SREM", "woodstock:jobs:queues", queue)
}

/// The tenants one test made (their conversation streams are deleted afterwards).
final class WebchatTenantList: Sendable {
    private let ids = Mutex<[TenantID]>([])

    /// Records a tenant.
    func append(_ id: TenantID) { ids.withLock { $0.append(id) } }

    /// Every tenant recorded.
    var all: [TenantID] { ids.withLock { $0 } }
}
