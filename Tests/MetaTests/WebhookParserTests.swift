import Foundation
import Testing

@testable import Meta

@Suite struct WebhookParserTests {
    static func parse(_ text: String) throws -> WebhookBatch { try WebhookParser.parse(Array(text.utf8)) }

    @Test("a batched delivery yields one event per messaging item, in order, with the right ids")
    func batched() throws {
        let batch = try Self.parse(WebhookFixtures.batched)
        #expect(batch.object == "instagram")
        #expect(
            batch.events.map(\.id) == ["mid.1", "mid.2", "reaction:mid.1:react:1700000000003", "mid.3", "read:mid.3"])
        #expect(batch.events.map(\.kind) == [.message, .message, .reaction, .message, .read])
        #expect(
            batch.events.map(\.accountID) == [
                "17841400000000001", "17841400000000001", "17841400000000001", "17841400000000002", "17841400000000002",
            ])
        let first = batch.events[0]
        #expect(first.platform == .instagram)
        #expect(first.senderID == "IGSID-1" && first.recipientID == "17841400000000001")
        #expect(first.timestampMs == 1_700_000_000_001)
        #expect(first.text == "hi")
        #expect(batch.events[1].attachments.map(\.type) == ["ig_post", "brand_new_type"])
        #expect(batch.events[1].attachments.first?.url == "https://cdn/p")
        #expect(batch.events[2].reaction == "love" && batch.events[2].mid == "mid.1")
        #expect(batch.events[3].isEcho && batch.events[3].customerID == "IGSID-2")
    }

    @Test("changes[] test events are tolerated and produce no event")
    func changes() throws {
        let batch = try Self.parse(WebhookFixtures.changesTest)
        #expect(batch.events.isEmpty)
        #expect(batch.ignoredChanges == 1)
    }

    @Test("object page → messenger events: quick reply, reply_to, postback, referral, unknown kind")
    func page() throws {
        let batch = try Self.parse(WebhookFixtures.page)
        #expect(batch.events.allSatisfy { $0.platform == .messenger && $0.accountID == "PAGE-1" })
        #expect(batch.events.map(\.kind.rawValue) == ["message", "postback", "referral", "optin"])
        #expect(batch.events[0].quickReplyPayload == "PRICES" && batch.events[0].replyToMID == "m_0")
        #expect(batch.events[1].postbackPayload == "START")
        #expect(batch.events[1].id == "postback:PSID-1:1458692752479")
        #expect(batch.events[2].referralAdID == "AD-9" && batch.events[2].referralRef == "summer")
        #expect(batch.events[3].id == "optin:PSID-1:1458692752481")
    }

    @Test("deleted, unsupported and story-reply messages keep their flags; deletion gets its own id")
    func flags() throws {
        let body = """
            {"object":"instagram","entry":[{"id":"A","messaging":[
             {"sender":{"id":"U"},"recipient":{"id":"A"},"timestamp":1,"message":{"mid":"m1","is_deleted":true}},
             {"sender":{"id":"U"},"recipient":{"id":"A"},"timestamp":2,"message":{"mid":"m2","is_unsupported":true}},
             {"sender":{"id":"U"},"recipient":{"id":"A"},"timestamp":3,
              "message":{"mid":"m3","text":"nice","reply_to":{"story":{"url":"https://cdn/s","id":"S1"}}}}
            ]}]}
            """
        let events = try Self.parse(body).events
        #expect(events[0].isDeleted && events[0].id == "deleted:m1")
        #expect(events[1].isUnsupported && events[1].text == nil)
        #expect(events[2].replyToStoryID == "S1" && events[2].replyToStoryURL == "https://cdn/s")
    }

    @Test("wrong types, numeric ids and malformed items are tolerated, never a crash")
    func lenient() throws {
        let body = """
            {"object":"instagram","entry":[{"id":1784,"time":"17","messaging":[
              {"sender":{"id":42},"recipient":{"id":"1784"},"timestamp":5.0,"message":{"mid":"m","text":7,
               "attachments":[{"type":"image","payload":null},"garbage",{"payload":{"url":"u"}}]}},
              {"recipient":{"id":"1784"},"message":{"mid":"no-sender"}},
              "not an object"
            ]}, 17, {"id":"x","messaging":"nope"}]}
            """
        let batch = try Self.parse(body)
        #expect(batch.events.count == 1)
        #expect(batch.skippedItems == 1)
        let event = try #require(batch.events.first)
        #expect(event.senderID == "42" && event.accountID == "1784" && event.timestampMs == 5)
        #expect(event.attachments.map(\.type) == ["image", "unknown"])
    }

    @Test(
        "bodies that are not a JSON object are malformedPayload", arguments: ["", "{", "[]", "\"x\"", "{\"object\":"])
    func malformed(body: String) {
        #expect(throws: MetaError.self) { try Self.parse(body) }
        do {
            _ = try Self.parse(body)
        } catch let error as MetaError {
            #expect(error.code == .malformedPayload)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("the compact Codable form round-trips and never grows beyond ids and content")
    func compactForm() throws {
        let events = try Self.parse(WebhookFixtures.batched).events
        let data = try JSONEncoder().encode(events)
        #expect(try JSONDecoder().decode([WebhookEvent].self, from: data) == events)
        let text = String(decoding: try JSONEncoder().encode(events[0]), as: UTF8.self)
        #expect(!text.contains("echo") && !text.contains("\"at\""))
        #expect(text.utf8.count < 160)
    }
}
