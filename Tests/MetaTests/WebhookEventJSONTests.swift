import Foundation
import Testing

@testable import Meta

/// `WebhookEvent.jsonPayload()`: the job payload serve writes for every webhook event.
@Suite struct WebhookEventJSONTests {
    static func sortedEncoding(_ event: WebhookEvent) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(event))
    }

    static var minimal: WebhookEvent {
        WebhookEvent(
            id: "m1", platform: .instagram, accountID: "1784", senderID: "9001", recipientID: "1784",
            timestampMs: 1_732_549_999_000, kind: .message)
    }

    static var everything: WebhookEvent {
        var event = minimal
        event.mid = "aWdf\"quoted\"/slash"
        event.text = "Hi!\nÉté 😀 \u{1}"
        event.attachments = [WebhookAttachment(type: "image", url: "https://cdn.example/a.jpg"), .init(type: "x")]
        event.isEcho = true
        event.isDeleted = true
        event.isUnsupported = true
        event.quickReplyPayload = "QR"
        event.replyToMID = "rt"
        event.replyToStoryID = "rs"
        event.replyToStoryURL = "https://story"
        event.reactionAction = "react"
        event.reaction = "love"
        event.postbackTitle = "Title"
        event.postbackPayload = "PB"
        event.referralRef = "ref"
        event.referralSource = "ADS"
        event.referralAdID = "ad1"
        return event
    }

    @Test("byte for byte what JSONEncoder writes with sorted keys, from the smallest event to one with every member")
    func matchesEncoder() throws {
        for event in [Self.minimal, Self.everything] {
            #expect(event.jsonPayload() == (try Self.sortedEncoding(event)))
        }
    }

    @Test("both readers get the same event back")
    func roundTrips() throws {
        for event in [Self.minimal, Self.everything] {
            let payload = event.jsonPayload()
            #expect(try JSONDecoder().decode(WebhookEvent.self, from: Data(payload)) == event)
            #expect(WebhookEvent.fastDecoded(from: payload) == event)
        }
    }
}
