import Foundation
import Logging
import Testing

@testable import Meta

@Suite struct GraphClientTests {
    let account = GraphAccount(platform: .instagram, id: "17841400000000001")
    let token = "IGQVJ-secret-token"

    @Test("send text: Bearer header, no token in the URL, Meta's JSON shape, message id and usage returned")
    func sendText() async throws {
        try await GraphTestServer.run { meta in
            try await meta.script(
                "POST", "/v24.0/17841400000000001/messages", body: #"{"recipient_id":"999","message_id":"mid.1"}"#,
                headers: ["X-App-Usage": #"{"call_count":81,"total_time":1,"total_cputime":1}"#])
            let sent = try await meta.graph.sendText("Hi! How can I help?", to: "999", from: account, token: token)
            #expect(sent.messageID == "mid.1")
            #expect(sent.recipientID == "999")
            #expect(sent.usage?.isNearLimit == true)
            let request = try #require(try await meta.received().first)
            #expect(request.headers["authorization"] == "Bearer \(token)")
            #expect(!request.query.contains(token))
            #expect(!request.path.contains(token))
            let body = try GraphTestServer.json(request.body)
            #expect((body["recipient"] as? [String: String])?["id"] == "999")
            #expect((body["message"] as? [String: String])?["text"] == "Hi! How can I help?")
            #expect(body["messaging_type"] as? String == "RESPONSE")
            #expect(body["tag"] == nil)
        }
    }

    @Test("HUMAN_AGENT tag, sender actions and attachments use Meta's shapes")
    func tagsAndActions() async throws {
        try await GraphTestServer.run { meta in
            try await meta.script(
                "POST", "/v24.0/17841400000000001/messages", body: #"{"recipient_id":"9","message_id":"m"}"#)
            _ = try await meta.graph.sendText("A person here", to: "9", from: account, token: token, humanAgent: true)
            try await meta.graph.sendAction(.typingOn, to: "9", from: account, token: token)
            _ = try await meta.graph.sendAttachment(
                type: "image", url: "https://cdn.example/a.png", to: "9", from: account, token: token)
            let requests = try await meta.received()
            #expect(requests.count == 3)
            let tagged = try GraphTestServer.json(requests[0].body)
            #expect(tagged["messaging_type"] as? String == "MESSAGE_TAG")
            #expect(tagged["tag"] as? String == "HUMAN_AGENT")
            let action = try GraphTestServer.json(requests[1].body)
            #expect(action["sender_action"] as? String == "typing_on")
            #expect(action["message"] == nil)
            let attachment = try GraphTestServer.json(requests[2].body)
            let message = try #require(attachment["message"] as? [String: Any])
            let inner = try #require(message["attachment"] as? [String: Any])
            #expect(inner["type"] as? String == "image")
            #expect((inner["payload"] as? [String: String])?["url"] == "https://cdn.example/a.png")
        }
    }

    @Test("a long reply goes out as several messages of at most 1000 bytes; over-long sendText is refused")
    func longReply() async throws {
        try await GraphTestServer.run { meta in
            try await meta.script(
                "POST", "/v24.0/17841400000000001/messages", body: #"{"recipient_id":"9","message_id":"m"}"#)
            let text = String(repeating: "Ça coûte 10 €. ", count: 150)
            let sent = try await meta.graph.sendReply(text, to: "9", from: account, token: token)
            let requests = try await meta.received()
            #expect(sent.count == requests.count)
            #expect(requests.count >= 3)
            for request in requests {
                let message = try #require(try GraphTestServer.json(request.body)["message"] as? [String: String])
                #expect((message["text"]?.utf8.count ?? 0) <= 1000)
            }
            let error = await #expect(throws: MetaError.self) {
                try await meta.graph.sendText(text, to: "9", from: account, token: token)
            }
            #expect(error?.code == .invalidRequest)
        }
    }

    @Test("Graph errors arrive typed: expired token, rate limit with Retry-After, window, 5xx, timeout")
    func errors() async throws {
        try await GraphTestServer.run { meta in
            let path = "/v24.0/17841400000000001/messages"
            try await meta.script(
                "POST", path, status: 400,
                body:
                    #"{"error":{"message":"Error validating access token: Session has expired.","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"T1"}}"#,
                times: 1)
            try await meta.script(
                "POST", path, status: 400,
                body:
                    #"{"error":{"message":"(#613) Calls to this api have exceeded the rate limit.","type":"OAuthException","code":613}}"#,
                headers: ["Retry-After": "120"], times: 1)
            try await meta.script(
                "POST", path, status: 400,
                body:
                    #"{"error":{"message":"(#10) This message is sent outside of allowed window.","type":"OAuthException","code":10,"error_subcode":2534022}}"#,
                times: 1)
            try await meta.script("POST", path, status: 503, body: "Service Unavailable", times: 1)
            try await meta.script("POST", path, body: "{}", times: 1, delayMilliseconds: 8000)

            let expired = await #expect(throws: MetaError.self) {
                try await meta.graph.sendText("x", to: "9", from: account, token: token)
            }
            #expect(expired?.code == .graphError)
            #expect(expired?.needsReauthorization == true)
            #expect(expired?.graph?.subcode == 463)
            #expect(expired?.description.contains(token) == false)

            let limited = await #expect(throws: MetaError.self) {
                try await meta.graph.sendText("x", to: "9", from: account, token: token)
            }
            #expect(limited?.category == .rateLimited)
            #expect(limited?.isRetryable == true)
            #expect(limited?.retryAfter == .seconds(120))

            let window = await #expect(throws: MetaError.self) {
                try await meta.graph.sendText("x", to: "9", from: account, token: token)
            }
            #expect(window?.category == .outsideWindow)
            #expect(window?.isRetryable == false)

            let unavailable = await #expect(throws: MetaError.self) {
                try await meta.graph.sendText("x", to: "9", from: account, token: token)
            }
            #expect(unavailable?.category == .transient)
            #expect(unavailable?.graph?.httpStatus == 503)

            let slow = await #expect(throws: MetaError.self) {
                try await meta.graph.sendText("x", to: "9", from: account, token: token)
            }
            #expect(slow?.code == .transport)
            #expect(slow?.isRetryable == true)
            #expect(slow?.message?.contains("timed out") == true)
        }
    }

    @Test("profile lookup and subscriptions on both platforms")
    func profileAndSubscriptions() async throws {
        try await GraphTestServer.run { meta in
            try await meta.script(
                "GET", "/v24.0/4242",
                body:
                    #"{"name":"Peter Chang","username":"peter_chang_live","profile_pic":"https://fbcdn/p.jpg","follower_count":1234,"is_user_follow_business":false,"is_business_follow_user":true,"id":"4242"}"#
            )
            let profile = try await meta.graph.profile(of: "4242", via: account, token: token)
            #expect(profile.username == "peter_chang_live")
            #expect(profile.name == "Peter Chang")
            #expect(profile.followerCount == 1234)
            #expect(profile.businessFollowsUser == true)
            #expect(profile.isVerified == nil)

            let page = GraphAccount(platform: .facebook, id: "1010")
            try await meta.script("POST", "/fb/v24.0/1010/subscribed_apps", body: #"{"success":true}"#)
            try await meta.script(
                "GET", "/fb/v24.0/1010/subscribed_apps",
                body: #"{"data":[{"id":"1","name":"App","subscribed_fields":["messages","messaging_postbacks"]}]}"#)
            #expect(
                try await meta.graph.subscribeApp(
                    account: page, fields: ["messages", "messaging_postbacks"], token: token))
            #expect(
                try await meta.graph.subscribedFields(account: page, token: token) == [
                    "messages", "messaging_postbacks",
                ])
            let requests = try await meta.received()
            #expect(requests[0].query.contains("fields=name%2Cusername"))
            #expect(requests[1].body == "subscribed_fields=messages%2Cmessaging_postbacks")
            #expect(requests.allSatisfy { $0.headers["authorization"] == "Bearer \(token)" })
        }
    }

    @Test("with app secrets configured every call carries appsecret_proof = HMAC-SHA256(app secret, token)")
    func appSecretProof() async throws {
        try await GraphTestServer.run { meta in
            try await meta.script(
                "POST", "/v24.0/17841400000000001/messages", body: #"{"recipient_id":"9","message_id":"m"}"#)
            let graph = GraphClient(
                http: meta.http, configuration: meta.configuration,
                appSecretProof: MetaAppCredentials(instagramAppSecret: "ig-secret", metaAppSecret: "fb-secret"),
                logger: Logger(label: "test.graph"))
            _ = try await graph.sendText("hi", to: "9", from: account, token: token)
            let request = try #require(try await meta.received().first)
            #expect(
                request.query == "appsecret_proof=5e68d82b8a54f8fad8705ff2c1fb2e50a0bcbfb172f79af9a25435ca26152dd8")
            #expect(request.headers["authorization"] == "Bearer \(token)")
        }
    }
}
