import Billing
import Foundation
import Meta
import Store
import TestSupport
import Testing

@testable import Messaging

@Suite struct MessagingContentTests {
    @Test("a long answer is split into parts of ≤ 1000 UTF-8 bytes, each recorded and sent once")
    func longReplySplit() async throws {
        try await withMessagingHarness { harness in
            let tenant = try await harness.makeTenant("Verbose Shop")
            let event = MessagingHarness.message(to: tenant, from: "c1", text: "give me a long answer")
            let outcome = try await harness.process(event)
            guard case .replied(.answered, let parts) = outcome else {
                Issue.record("unexpected outcome \(outcome)")
                return
            }
            #expect(parts >= 2)
            let sent = try await harness.sandbox.sent()
            #expect(sent.count == parts)
            #expect(sent.allSatisfy { ($0.text?.utf8.count ?? 0) <= 1_000 })
            let stored = try await harness.messages(of: tenant).filter { $0.direction == .outbound }
            #expect(stored.count == parts && stored.allSatisfy { $0.sendState == .sent && $0.isAI })
            #expect(try await harness.process(event) == .alreadyReplied)
            #expect(try await harness.sandbox.sent().count == parts)
        }
    }

    @Test("story mentions, reactions and read receipts are stored or ignored, never answered")
    func notAnswerable() async throws {
        try await withMessagingHarness { harness in
            let tenant = try await harness.makeTenant("Story Shop")
            var mention = MessagingHarness.message(to: tenant, from: "c1", text: "")
            mention.text = nil
            mention.attachments = [WebhookAttachment(type: "story_mention", url: "https://cdn.example/story.jpg")]
            #expect(try await harness.process(mention) == .notAnswered(.notAnswerable))
            let conversation = try #require(try await harness.conversations(of: tenant).first)
            #expect(conversation.lastCustomerMessageAt != nil)

            var reaction = MessagingHarness.message(to: tenant, from: "c1", text: "")
            reaction.id = "reaction:\(mention.mid ?? ""):react:1"
            reaction.kind = .reaction
            reaction.text = nil
            reaction.reaction = "love"
            #expect(try await harness.process(reaction) == .notAnswered(.notAnswerable))

            var read = MessagingHarness.message(to: tenant, from: "c1", text: "")
            read.id = "read:\(mention.mid ?? "")"
            read.kind = .read
            #expect(try await harness.process(read) == .notAnswered(.notAnswerable))

            let stored = try await harness.messages(of: tenant)
            #expect(stored.count == 2)
            #expect(stored.allSatisfy { $0.direction == .inbound })
            #expect(String(decoding: stored[0].attachments, as: UTF8.self).contains("story_mention"))
            #expect(String(decoding: stored[1].attachments, as: UTF8.self).contains("love"))
            #expect(try await harness.sandbox.sent().isEmpty)
            #expect(try await harness.sandbox.llmCalls().isEmpty)
        }
    }
}
