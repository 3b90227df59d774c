import Foundation
import Testing

@testable import Meta

@Suite struct GraphSendBodyTests {
    let account = GraphAccount(platform: .instagram, id: "17841400000000001")
    let token = "IGQVJ-secret-token"

    /// What `JSONSerialization` writes with sorted keys (the old bodies had the same content in a per-process order).
    private static func serialized(_ object: [String: Any]) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    @Test("send bodies are byte for byte JSONSerialization's with sorted keys, escapes included")
    func sameBytesAsSerialization() async throws {
        let text = "Hi \"there\" / \\ é😀\n\t\u{1}"
        let recipient = "99\"9"
        try await GraphTestServer.run { meta in
            try await meta.script(
                "POST", "/v24.0/17841400000000001/messages", body: #"{"recipient_id":"9","message_id":"m"}"#)
            _ = try await meta.graph.sendText(text, to: recipient, from: account, token: token)
            _ = try await meta.graph.sendText(text, to: recipient, from: account, token: token, humanAgent: true)
            try await meta.graph.sendAction(.markSeen, to: recipient, from: account, token: token)
            _ = try await meta.graph.sendAttachment(
                type: "image", url: "https://cdn.example/a b.png?x=1", to: recipient, from: account, token: token)
            let bodies = try await meta.received().map(\.body)
            #expect(bodies.count == 4)
            let expected: [[String: Any]] = [
                ["recipient": ["id": recipient], "message": ["text": text], "messaging_type": "RESPONSE"],
                [
                    "recipient": ["id": recipient], "message": ["text": text], "messaging_type": "MESSAGE_TAG",
                    "tag": "HUMAN_AGENT",
                ],
                ["recipient": ["id": recipient], "sender_action": "mark_seen"],
                [
                    "recipient": ["id": recipient],
                    "message": [
                        "attachment": ["type": "image", "payload": ["url": "https://cdn.example/a b.png?x=1"]]
                    ],
                ],
            ]
            for (body, object) in zip(bodies, expected) { #expect(body == (try Self.serialized(object))) }
        }
    }

    @Test(
        "a 2xx body skips the error parse only when it cannot name an error member",
        arguments: [
            (#"{"recipient_id":"9","message_id":"m"}"#, false),
            (#"{"id":"1","profile_pic":"https:\/\/cdn\/p.jpg","name":"A \"B\""}"#, false),
            (#"{"error":{"message":"x","code":1}}"#, true),
            (#"{"error_message":"x","code":1}"#, true),
            (#"{"\u0065rror":{"message":"x"}}"#, true),
            (#"{"note":"an \"error\" in text"}"#, false), (#"{"note":"error"}"#, true),
            ("", false), ("\"", false), (#"{"a":"\"#, false),
        ])
    func errorMemberScan(_ body: String, _ mayName: Bool) {
        #expect(GraphTransport.mayNameErrorMember(Array(body.utf8)) == mayName)
    }

    @Test(
        "the fast path gives the same answer as the full parse",
        arguments: [
            #"{"recipient_id":"9","message_id":"m"}"#, #"{"error":{"message":"boom","code":190}}"#,
            #"{"\u0065rror":{"message":"escaped","code":4}}"#, #"{"error_message":"bad","code":400}"#, "[]", "",
            "not json",
        ])
    func fastPathAgrees(_ body: String) {
        let detail = GraphTransport.errorDetail(status: 200, body: Array(body.utf8))
        let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
        let hasError = object?["error"] is [String: Any] || object?["error_message"] is String
        #expect((detail != nil) == hasError)
    }
}

@Suite struct GraphFastDecodeTests {
    let account = GraphAccount(platform: .instagram, id: "17841400000000001")

    @Test("send and profile replies read by the fast path or by JSONDecoder give the same results")
    func sameResults() async throws {
        try await GraphTestServer.run { meta in
            let path = "/v24.0/17841400000000001/messages"
            try await meta.script("POST", path, body: #"{"recipient_id":"9","message_id":"m\u00e9"}"#, times: 1)
            try await meta.script("POST", path, body: #"{"message_id":"m2","extra":[1,{"a":null}]}"#, times: 1)
            try await meta.script("POST", path, body: #"{"recipient_id":9,"message_id":"m3"}"#, times: 1)
            let first = try await meta.graph.sendText("a", to: "9", from: account, token: "t")
            #expect(first.recipientID == "9" && first.messageID == "mé")
            let second = try await meta.graph.sendText("b", to: "9", from: account, token: "t")
            #expect(second.recipientID == "" && second.messageID == "m2")
            // A number where a string belongs: JSONDecoder's verdict (malformed payload), as before.
            await #expect {
                _ = try await meta.graph.sendText("c", to: "9", from: account, token: "t")
            } throws: { error in
                (error as? MetaError)?.code == .malformedPayload
            }
            try await meta.script(
                "GET", "/v24.0/777",
                body: #"{"id":"777","username":"ann","name":null,"profile_pic":"https:\/\/cdn\/p.jpg","#
                    + #""follower_count":12,"is_verified_user":false,"is_user_follow_business":true}"#, times: 1)
            try await meta.script("GET", "/v24.0/777", body: #"{"username":"bob","follower_count":1.5}"#, times: 1)
            let profile = try await meta.graph.profile(of: "777", via: account, token: "t")
            #expect(
                profile
                    == UserProfile(
                        id: "777", username: "ann", name: nil, profilePictureURL: "https://cdn/p.jpg",
                        followerCount: 12,
                        isVerified: false, followsBusiness: true, businessFollowsUser: nil))
            await #expect {
                _ = try await meta.graph.profile(of: "777", via: account, token: "t")
            } throws: { error in
                (error as? MetaError)?.code == .malformedPayload
            }
        }
    }
}

@Suite struct WebhookEventFastDecodeTests {
    @Test("an event's payload JSON reads back equal through the fast path and through JSONDecoder")
    func roundTrip() throws {
        var full = WebhookEvent(
            id: "e1", platform: .instagram, accountID: "17841400000000001", senderID: "9", recipientID: "1",
            timestampMs: 1_569_262_485_349, kind: .message, mid: "m\u{e9}", text: "Hi \"there\"\n😀",
            attachments: [WebhookAttachment(type: "image", url: "https://cdn/a.png"), WebhookAttachment(type: "x")],
            isEcho: true, isDeleted: false, isUnsupported: true)
        full.quickReplyPayload = "qr"
        full.replyToMID = "rt"
        full.replyToStoryID = "rs"
        full.replyToStoryURL = "https://s/1"
        full.reactionAction = "react"
        full.reaction = "love"
        full.postbackTitle = "pt"
        full.postbackPayload = "pp"
        full.referralRef = "rf"
        full.referralSource = "ADS"
        full.referralAdID = "ad1"
        let minimal = WebhookEvent(
            id: "e2", platform: .messenger, accountID: "a", senderID: "s", recipientID: "r", timestampMs: 0,
            kind: .read)
        for event in [full, minimal] {
            let bytes = Array(try JSONEncoder().encode(event))
            #expect(WebhookEvent.fastDecoded(from: bytes) == event)
            #expect(try JSONDecoder().decode(WebhookEvent.self, from: Data(bytes)) == event)
        }
    }

    @Test(
        "where JSONDecoder decides differently or throws, the fast path declines",
        arguments: [
            #"{"id":"e","p":"instagram","a":"a","s":"s","r":"r","ts":1.5,"k":"message"}"#,
            #"{"id":"e","p":"instagram","a":"a","s":"s","r":"r","k":"message"}"#,
            #"{"id":"e","p":"instagram","a":"a","s":"s","r":"r","ts":1,"k":"message","m":5}"#,
            #"{"id":"e","p":"instagram","a":"a","s":"s","r":"r","ts":1,"k":"message","echo":"yes"}"#,
            #"{"id":"e","p":"instagram","a":"a","s":"s","r":"r","ts":1,"k":"message","at":[{"u":"x"}]}"#,
            #"{"id":"e","p":"instagram","a":"a","s":"s","r":"r","ts":1,"k":"message","at":{}}"#,
        ])
    func declines(_ body: String) {
        #expect(WebhookEvent.fastDecoded(from: Array(body.utf8)) == nil)
    }

    @Test("null optional members and extra keys read as JSONDecoder reads them")
    func nullsAndExtras() throws {
        let body =
            #"{"id":"e","p":"instagram","a":"a","s":"s","r":"r","ts":7,"k":"message","m":null,"at":null,"#
            + #""echo":null,"zz":[1,{"q":2}]}"#
        let fast = try #require(WebhookEvent.fastDecoded(from: Array(body.utf8)))
        #expect(fast == (try JSONDecoder().decode(WebhookEvent.self, from: Data(body.utf8))))
    }
}
