import Billing
import Foundation
import Meta
import Postgres
import Store
import TestSupport
import Testing

@testable import Messaging

@Suite struct MessagingFailureTests {
    @Test("Graph 190: integration needs re-authorisation, notice recorded, count refunded, no retry")
    func tokenInvalid() async throws {
        try await withMessagingHarness { harness in
            let tenant = try await harness.makeTenant("Expired Shop")
            try await harness.sandbox.setFaults(#"{"graph":[{"route":"send","code":190,"subcode":463}]}"#)
            let event = MessagingHarness.message(to: tenant, from: "c1", text: "hello")
            #expect(try await harness.process(event) == .sendFailed(.tokenInvalid))
            let integration = try await harness.repositories.integrations.find(
                tenantID: tenant.id, integrationID: tenant.integrationID)
            #expect(integration?.status == .needsReauth)
            let notices = try await harness.repositories.notices.list(tenantID: tenant.id)
            #expect(notices.map(\.kind) == ["needs_reauth"])
            let usage = try await harness.meter.usage(
                tenantID: tenant.id.description, period: .init(containing: Date()))
            #expect(usage.answered == 0 && usage.refunded == 1)
            #expect(
                try await harness.messages(of: tenant).contains { $0.direction == .outbound && $0.sendState == .failed }
            )
            #expect(try await harness.sandbox.sent().isEmpty)
            // A later message for the same integration is stored, not answered, until the tenant reconnects.
            let next = MessagingHarness.message(to: tenant, from: "c1", text: "hello again")
            #expect(try await harness.process(next) == .notAnswered(.inactive))
        }
    }

    @Test(
        "rate limits and 5xx are retried by the engine and then sent once",
        arguments: [
            #"{"graph":[{"route":"send","code":4,"times":1}]}"#, #"{"graph":[{"route":"send","code":613,"times":1}]}"#,
            #"{"graph":[{"route":"send","status":500,"times":1}]}"#,
        ])
    func retryable(_ faults: String) async throws {
        try await withMessagingHarness { harness in
            let tenant = try await harness.makeTenant("Busy Graph Shop")
            try await harness.sandbox.setFaults(faults)
            let event = MessagingHarness.message(to: tenant, from: "c1", text: "hello")
            await #expect {
                _ = try await harness.process(event)
            } throws: { error in
                (error as? MessagingError)?.code == .retryableSendFailure
            }
            #expect(try await harness.sandbox.sent().isEmpty)
            #expect(try await harness.process(event, attempt: 2) == .replied(.answered, parts: 1))
            #expect(try await harness.sandbox.sent().count == 1)
            let usage = try await harness.meter.usage(
                tenantID: tenant.id.description, period: .init(containing: Date()))
            #expect(usage.answered == 1)
        }
    }

    @Test("outside the 24-hour window: recorded and audited, not retried")
    func outsideWindow() async throws {
        try await withMessagingHarness { harness in
            let tenant = try await harness.makeTenant("Late Shop")
            try await harness.sandbox.setFaults(#"{"graph":[{"route":"send","code":10,"subcode":2534022}]}"#)
            let event = MessagingHarness.message(to: tenant, from: "c1", text: "hello")
            #expect(try await harness.process(event) == .sendFailed(.outsideWindow))
            let audit = try await harness.repositories.audit.list(tenantID: tenant.id)
            #expect(audit.contains { $0.action == "message.send_failed" && $0.details["category"] == "outsideWindow" })
            #expect(try await harness.sandbox.sent().isEmpty)
            let integration = try await harness.repositories.integrations.find(
                tenantID: tenant.id, integrationID: tenant.integrationID)
            #expect(integration?.status == .active)
        }
    }

    @Test("LLM 429 is retried with its Retry-After, nothing is sent meanwhile")
    func assistantRateLimited() async throws {
        try await withMessagingHarness { harness in
            let tenant = try await harness.makeTenant("Slow AI Shop")
            try await harness.sandbox.setFaults(#"{"llm":[{"status":429,"retry_after":7,"times":1}]}"#)
            let event = MessagingHarness.message(to: tenant, from: "c1", text: "hello")
            await #expect {
                _ = try await harness.process(event)
            } throws: { error in
                let error = error as? MessagingError
                return error?.code == .retryableAssistantFailure && error?.retryAfter == .seconds(7)
            }
            #expect(try await harness.sandbox.sent().isEmpty)
            #expect(try await harness.process(event, attempt: 2) == .replied(.answered, parts: 1))
            let usage = try await harness.meter.usage(
                tenantID: tenant.id.description, period: .init(containing: Date()))
            #expect(usage.answered == 1)
        }
    }

    @Test("LLM failing for good: the fallback message is sent")
    func assistantFallback() async throws {
        try await withMessagingHarness { harness in
            let tenant = try await harness.makeTenant("Broken AI Shop")
            try await harness.sandbox.setFaults(#"{"llm":[{"status":500}]}"#)
            let event = MessagingHarness.message(to: tenant, from: "c1", text: "hello")
            #expect(try await harness.process(event, attempt: 3) == .replied(.fallback, parts: 1))
            #expect(try await harness.sandbox.sent().map(\.text) == [MessagingSettings().fallbackReply])
        }
    }

    @Test("crash between send and ack: the re-run finds the reply in Meta's conversation and sends nothing again")
    func crashBetweenSendAndAck() async throws {
        try await withMessagingHarness(settings: MessagingSettings(inFlightWindowSeconds: 0)) { harness in
            let tenant = try await harness.makeTenant("Crash Shop")
            let event = MessagingHarness.message(to: tenant, from: "c1", text: "hello")
            #expect(try await harness.process(event) == .replied(.answered, parts: 1))
            // The worker died after Meta accepted the send and before the outcome was recorded: the ledger row
            // is exactly what such a run leaves behind (claimed, pending, no mid).
            try await harness.markRepliesPending()
            // The job runs again (its ack was lost) after the in-flight window: the Conversations API shows the
            // reply delivered, so the part is marked sent with Meta's id and not sent again.
            #expect(try await harness.process(event, attempt: 2) == .resolvedByLookup(parts: 1))
            let sent = try await harness.sandbox.sent()
            #expect(sent.count == 1)
            let reply = try #require(try await harness.messages(of: tenant).first { $0.direction == .outbound })
            #expect(reply.sendState == .sent && reply.mid == sent.first?.message_id)
            // Its echo arrives late: recognised as ours, not taken for a person's message.
            let echo = MessagingHarness.echo(
                of: tenant, to: "c1", mid: sent.first?.message_id ?? "", text: sent.first?.text ?? "")
            #expect(try await harness.process(echo) == .ownEcho)
            #expect(try await harness.conversations(of: tenant).first?.isTakenOver == false)
            #expect(try await harness.process(event, attempt: 3) == .alreadyReplied)
            #expect(try await harness.sandbox.sent().count == 1)
        }
    }

    @Test("a worker killed mid-send: the re-run right after waits for the echo instead of resending")
    func rerunWithinInFlightWindow() async throws {
        try await withMessagingHarness { harness in
            let tenant = try await harness.makeTenant("Quick Rerun Shop")
            try await harness.sandbox.setFaults(#"{"graph":[{"route":"send","latency":{"min_ms":1500}}]}"#)
            let event = MessagingHarness.message(to: tenant, from: "c1", text: "hello")
            let run = Task { try await harness.process(event) }
            try await waitUntil(orUntilDone: run) {
                try await harness.messages(of: tenant).contains {
                    $0.direction == .outbound && $0.sendState == .pending
                }
            }
            run.cancel()
            _ = await run.result
            await #expect {
                _ = try await harness.process(event, attempt: 2)
            } throws: { error in
                // Retried when the in-flight window (120 s by default) ends, not on the engine's short backoff.
                guard let error = error as? MessagingError, let retryAfter = error.retryAfter else { return false }
                return error.code == .retryableSendFailure && retryAfter > .seconds(100) && retryAfter <= .seconds(121)
            }
            // Whether the cancelled call reached the sandbox or not, nothing was sent a second time.
            #expect(try await harness.sandbox.sent().count <= 1)
            let reply = try #require(try await harness.messages(of: tenant).first { $0.direction == .outbound })
            #expect(reply.sendState == .pending && reply.mid == nil)
        }
    }
}

/// Polls `condition` until it holds; on timeout, records how the run ended (then fails).
func waitUntil(
    orUntilDone task: Task<ProcessOutcome, any Error>, timeout: Duration = .seconds(15),
    _ condition: () async throws -> Bool, sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    task.cancel()
    let result = await task.result
    Issue.record("condition not met within \(timeout); the run ended with \(result)", sourceLocation: sourceLocation)
    throw CancellationError()
}
