import Foundation
import HTTP
import Messaging
import Store
import TestSupport
import Testing
import Web

@Suite struct WebchatTests {
    @Test("a visitor's message goes through process-message and the AI reply arrives over SSE")
    func replyArrivesOverSSE() async throws {
        try await withWebchatStack { stack in
            let tenant = try await stack.makeTenant("Web Shop")
            let visitor = try await stack.issueVisitor(tenant)
            #expect(visitor.status == 201)
            let reader = try stack.events(tenant, token: visitor.token)
            defer { reader.stop() }
            try await waitFor { reader.text.contains("retry:") }
            let posted = try await stack.post("hello webchat", to: tenant, token: visitor.token)
            #expect(posted.status == 202)
            try await waitFor { reader.events.contains { $0["role"] == "assistant" } }
            let events = reader.events
            #expect(events.first?["role"] == "visitor")
            #expect(events.first?["text"] == "hello webchat")
            let reply = try #require(events.first { $0["role"] == "assistant" })
            #expect(reply["text"] == "Sandbox AI: you said \"hello webchat\"")
            #expect(reader.text.lowercased().contains("content-type: text/event-stream"))
            // Stored like any other platform's conversation: inbound + AI reply marked sent.
            let integrations = try await stack.harness.repositories.integrations.list(tenantID: tenant)
            #expect(integrations.map(\.platform) == [.webchat])
            let conversations = try await stack.harness.repositories.conversations.listRecent(tenantID: tenant)
            let conversation = try #require(conversations.first)
            let messages = try await stack.harness.repositories.messages.history(
                tenantID: tenant, conversationID: conversation.id, limit: 10)
            #expect(messages.contains { $0.direction == .inbound && $0.body == "hello webchat" })
            #expect(messages.contains { $0.direction == .outbound && $0.isAI && $0.sendState == .sent })
            // Nothing went to the Graph API.
            #expect(try await stack.harness.sandbox.sent().isEmpty)
        }
    }

    @Test("a starter tenant is refused: no visitor, no message, nothing enqueued")
    func starterRefused() async throws {
        try await withWebchatStack { stack in
            let tenant = try await stack.makeTenant("Small Shop", tier: .starter)
            let visitor = try await stack.issueVisitor(tenant)
            #expect(visitor.status == 403)
            let (_, token) = try stack.service.tokens.issue(tenantID: tenant.description)
            let posted = try await stack.post("hello", to: tenant, token: token)
            #expect(posted.status == 403)
            #expect(posted.bodyText.contains("not included"))
            let integrations = try await stack.harness.repositories.integrations.list(tenantID: tenant)
            #expect(integrations.isEmpty)
            let unknown = try await stack.post("hello", to: TenantID.random(), token: token)
            #expect(unknown.status == 404)
        }
    }

    @Test("over the per-visitor limit → 429 with Retry-After; another visitor still gets through")
    func rateLimited() async throws {
        try await withWebchatStack(limits: .init(perVisitor: 2, perTenant: 100, windowSeconds: 60)) { stack in
            let tenant = try await stack.makeTenant("Busy Shop")
            let visitor = try await stack.issueVisitor(tenant)
            #expect(try await stack.post("one", to: tenant, token: visitor.token).status == 202)
            #expect(try await stack.post("two", to: tenant, token: visitor.token).status == 202)
            let third = try await stack.post("three", to: tenant, token: visitor.token)
            #expect(third.status == 429)
            let retryAfter = try #require(third.headers["Retry-After"].flatMap { Int($0) })
            #expect(retryAfter >= 1 && retryAfter <= 60)
            let other = try await stack.issueVisitor(tenant)
            #expect(try await stack.post("hi", to: tenant, token: other.token).status == 202)
        }
    }

    @Test("a visitor reads only their own conversation: missing, forged or foreign tokens get 403")
    func visitorsAreIsolated() async throws {
        try await withWebchatStack { stack in
            let shop = try await stack.makeTenant("Shop A")
            let other = try await stack.makeTenant("Shop B")
            let alice = try await stack.issueVisitor(shop)
            let bob = try await stack.issueVisitor(shop)
            let carol = try await stack.issueVisitor(other)
            let bobReader = try stack.events(shop, token: bob.token)
            defer { bobReader.stop() }
            let aliceReader = try stack.events(shop, token: alice.token)
            defer { aliceReader.stop() }
            try await waitFor { bobReader.text.contains("retry:") && aliceReader.text.contains("retry:") }
            #expect(try await stack.post("secret of alice", to: shop, token: alice.token).status == 202)
            try await waitFor { aliceReader.events.contains { $0["role"] == "assistant" } }
            #expect(!bobReader.text.contains("alice"))
            // Forged: Alice's visitor id with Bob's signature; foreign: a token of another tenant; none at all.
            let bobParts = bob.token.split(separator: ".")
            let forged = "\(alice.visitorID).\(bobParts[1]).\(bobParts[2])"
            for token in [forged, carol.token, "garbage", nil] {
                let read = try await stack.request("GET", "/webchat/\(shop)/events", token: token)
                #expect(read.status == 403)
                let post = try await stack.post("hi", to: shop, token: token)
                #expect(post.status == 403)
            }
        }
    }

    @Test("a reconnect with Last-Event-ID gets the replies it missed, and nothing before")
    func reconnectCatchesUp() async throws {
        try await withWebchatStack { stack in
            let tenant = try await stack.makeTenant("Catch-up Shop")
            let visitor = try await stack.issueVisitor(tenant)
            let first = try stack.events(tenant, token: visitor.token)
            #expect(try await stack.post("first question", to: tenant, token: visitor.token).status == 202)
            try await waitFor { first.events.contains { $0["role"] == "assistant" } }
            let lastSeen = try #require(first.ids.last)
            first.stop()
            // Offline: the reply to the second question is published while no stream is open.
            #expect(try await stack.post("second question", to: tenant, token: visitor.token).status == 202)
            try await waitFor {
                try await stack.service.channel.events(
                    tenantID: tenant.description, visitorID: visitor.visitorID, after: lastSeen
                ).contains { $0.role == .assistant }
            }
            let again = try stack.events(tenant, token: visitor.token, lastEventID: lastSeen)
            defer { again.stop() }
            try await waitFor { again.events.contains { $0["role"] == "assistant" } }
            let texts = again.events.compactMap { $0["text"] }
            #expect(texts == ["second question", "Sandbox AI: you said \"second question\""])
        }
    }

    @Test("stopping the hub ends open event streams cleanly")
    func shutdownClosesStreams() async throws {
        try await withWebchatStack { stack in
            let tenant = try await stack.makeTenant("Closing Shop")
            let visitor = try await stack.issueVisitor(tenant)
            let reader = try stack.events(tenant, token: visitor.token)
            defer { reader.stop() }
            try await waitFor { reader.text.contains("retry:") && stack.service.hub.subscriberCount == 1 }
            try await waitFor { reader.text.contains(": ping") }
            stack.stopHub()
            try await waitFor { reader.hasExited }
            #expect(reader.text.hasSuffix("\n\n"))
            // A stream opened after the hub stopped ends at once instead of hanging.
            let late = try stack.events(tenant, token: visitor.token)
            defer { late.stop() }
            try await waitFor { late.hasExited }
        }
    }
}
