import Foundation
import Jobs
import Redis
import Testing

/// Puts jobs in a queue's dead set the real way: enqueue, run a worker whose handler always fails.
enum AdminDeadJobs {
    struct Payload: Codable, Sendable { var n: Int }

    static func make(count: Int, definitions: [JobDefinition], world: AdminWorld) async throws {
        let catalog = try JobCatalog(definitions)
        var registry = JobRegistry()
        for definition in definitions {
            registry.register(definition.name, payload: Payload.self) { _, _ in
                throw JobError(.handlerFailed, message: "always fails")
            }
        }
        let client = JobClient(redis: world.redis, catalog: catalog, logger: world.logger)
        for definition in definitions {
            _ = try await client.enqueue(
                batch: try (0..<count).map { try JobRequest(name: definition.name, payload: Payload(n: $0)) })
        }
        let worker = try JobWorker(
            redis: world.redis, catalog: catalog, registry: registry,
            configuration: JobWorkerConfiguration(
                queues: Array(Set(definitions.map(\.queue))), concurrency: 20, fetchBatchSize: 20,
                idleWait: .milliseconds(100)),
            logger: world.logger)
        let admin = JobQueueAdmin(redis: world.redis)
        let queues = Array(Set(definitions.map(\.queue)))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await worker.run() }
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline {
                let dead = try await admin.stats(queues: queues).reduce(0) { $0 + $1.dead }
                if dead >= count * definitions.count { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            group.cancelAll()
        }
        let dead = try await admin.stats(queues: queues).reduce(0) { $0 + $1.dead }
        try #require(dead == count * definitions.count, "dead jobs did not appear in time")
    }
}
