import Foundation
import Jobs
import Logging
import Meta
import Redis
import ServiceLifecycle
import Store
import TestSupport
import Testing

@testable import Messaging

@Suite struct MessagingRetryAfterTests {
    /// The LLM's 429/503 and the Graph API's rate limit, each answered once with `Retry-After: 2`.
    @Test(
        "LLM 429/5xx and Graph rate limits: the engine retries no earlier than Retry-After, then sends once",
        arguments: [
            #"{"llm":[{"status":429,"retry_after":2,"times":1}]}"#,
            #"{"llm":[{"status":503,"retry_after":2,"times":1}]}"#,
            #"{"graph":[{"route":"send","code":4,"status":400,"retry_after":2,"times":1}]}"#,
        ])
    func retryAfterHonoured(_ faults: String) async throws {
        try await withMessagingHarness { harness in
            let tenant = try await harness.makeTenant("Retry-After Shop")
            try await harness.sandbox.setFaults(faults)
            let queue = TestEnvironment.uniqueName("test-retry-after")
            let logger = Logger(label: "test.messaging.retry-after")
            // A 100 ms backoff: only the Retry-After can make the retry wait two seconds.
            let catalog = try JobCatalog([
                JobDefinition(
                    name: MessagingModule.processMessageJob, queue: queue, priority: 100, maxAttempts: 4,
                    backoff: .init(base: .milliseconds(100), maximum: .milliseconds(200), jitter: 0),
                    timeout: .seconds(30))
            ])
            var registry = JobRegistry()
            MessagingModule.register(in: &registry, dependencies: harness.dependencies)
            let client = JobClient(redis: harness.redis, catalog: catalog, logger: logger)
            let event = MessagingHarness.message(to: tenant, from: "c-retry", text: "hello, anyone?")
            _ = try await client.enqueue(name: MessagingModule.processMessageJob, payload: event, uniqueKey: event.id)
            let worker = try JobWorker(
                redis: harness.redis, catalog: catalog, registry: registry,
                configuration: JobWorkerConfiguration(
                    queues: [queue], concurrency: 4, fetchBatchSize: 4, leaseDuration: .seconds(5),
                    heartbeatInterval: .seconds(1), idleWait: .milliseconds(100), shutdownGracePeriod: .seconds(2)),
                logger: logger)
            let group = ServiceGroup(configuration: .init(services: [.init(service: worker)], logger: logger))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                try await waitFor { try await harness.sandbox.sent().count >= 1 }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            let sent = try await harness.sandbox.sent()
            #expect(sent.count == 1)
            let calls = try await harness.sandbox.llmCalls()
            let firstCall = try #require(calls.first?.time_ms)
            let sentAt = try #require(sent.first?.time_ms)
            if faults.contains("llm") {
                // The first completion failed; the second came no earlier than Retry-After.
                #expect(calls.count == 2)
                let secondCall = try #require(calls.last?.time_ms)
                #expect(secondCall - firstCall >= 2_000)
            } else {
                // The completion succeeded, the send was refused; the resend came no earlier than Retry-After.
                #expect(calls.count == 1)
                #expect(sentAt - firstCall >= 2_000)
            }
            let reply = try #require(try await harness.messages(of: tenant).first { $0.direction == .outbound })
            #expect(reply.sendState == .sent)
            try await deleteQueueKeys(queue, redis: harness.redis)
        }
    }
}
