import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import SandboxServer

@Suite struct SandboxGraphTests {
    static let bearer: HTTPFields = [.authorization: "Bearer sandbox-shop-1", .contentType: "application/json"]

    @Test("send answers recipient_id and message_id and is recorded, versioned or not", arguments: ["/v26.0", ""])
    func sendIsRecorded(prefix: String) async throws {
        try await withSandbox { client in
            let body =
                #"{"recipient":{"id":"555"},"messaging_type":"MESSAGE_TAG","tag":"HUMAN_AGENT","message":{"text":"hi"}}"#
            let response = try await client.execute(
                uri: "\(prefix)/17841400000000001/messages", method: .post, headers: Self.bearer, body: .text(body))
            #expect(response.status == .ok)
            let reply = try json(response.body)
            #expect(reply["recipient_id"]?.stringValue == "555")
            let messageID = try #require(reply["message_id"]?.stringValue)
            let sent = try json(try await client.execute(uri: "/_sandbox/sent", method: .get).body).arrayValue
            #expect(sent.count == 1)
            #expect(sent.first?["message_id"]?.stringValue == messageID)
            #expect(sent.first?["text"]?.stringValue == "hi")
            #expect(sent.first?["tag"]?.stringValue == "HUMAN_AGENT")
            #expect(sent.first?["recipient"]?.stringValue == "555")
            let tokenID = try #require(sent.first?["token_id"]?.stringValue)
            #expect(tokenID.hasPrefix("tok_") && !tokenID.contains("sandbox-shop-1"))
        }
    }

    @Test("attachment, quick replies and sender_action are accepted with Meta's shapes")
    func otherSendShapes() async throws {
        try await withSandbox { client in
            let bodies = [
                #"{"recipient":{"id":"1"},"message":{"attachment":{"type":"image","payload":{"url":"https://x/a.png"}}}}"#,
                #"{"recipient":{"id":"1"},"messaging_type":"RESPONSE","message":{"text":"Pick","quick_replies":[{"content_type":"text","title":"Prices","payload":"P"}]}}"#,
                #"{"recipient":{"id":"1"},"sender_action":"typing_on"}"#,
            ]
            for body in bodies {
                let response = try await client.execute(
                    uri: "/me/messages", method: .post, headers: Self.bearer, body: .text(body))
                #expect(response.status == .ok)
            }
            let sent = try json(try await client.execute(uri: "/_sandbox/sent", method: .get).body).arrayValue
            #expect(sent.map { $0["attachment_type"]?.stringValue } == ["image", nil, nil])
            #expect(sent[1]["quick_replies"]?.arrayValue.first?.stringValue == "Prices")
            #expect(sent[2]["sender_action"]?.stringValue == "typing_on")
        }
    }

    @Test("unknown, missing and expired tokens get Meta's 190 / 2500 error bodies")
    func tokenErrors() async throws {
        try await withSandbox { client in
            let body = ByteBuffer.text(#"{"recipient":{"id":"1"},"message":{"text":"x"}}"#)
            let unknown = try await client.execute(
                uri: "/v26.0/me/messages", method: .post, headers: [.authorization: "Bearer EAAnope"], body: body)
            #expect(unknown.status == .badRequest)
            #expect(try json(unknown.body)["error"]?["code"]?.stringValue == "190")
            #expect(try json(unknown.body)["error"]?["type"]?.stringValue == "OAuthException")
            let missing = try await client.execute(uri: "/v26.0/me/messages", method: .post, body: body)
            #expect(try json(missing.body)["error"]?["code"]?.stringValue == "2500")
            _ = try await client.execute(
                uri: "/_sandbox/tokens/expire", method: .post, body: .text(#"{"token":"sandbox-shop-1"}"#))
            let expired = try await client.execute(
                uri: "/v26.0/me/messages", method: .post, headers: Self.bearer, body: body)
            #expect(try json(expired.body)["error"]?["error_subcode"]?.stringValue == "463")
            let sent = try json(try await client.execute(uri: "/_sandbox/sent", method: .get).body).arrayValue
            #expect(sent.isEmpty)
        }
    }

    @Test("text over 1000 bytes is refused with code 100")
    func textLimit() async throws {
        try await withSandbox { client in
            let long = String(repeating: "é", count: 501)
            let response = try await client.execute(
                uri: "/me/messages", method: .post, headers: Self.bearer,
                body: .text(#"{"recipient":{"id":"1"},"message":{"text":"\#(long)"}}"#))
            #expect(try json(response.body)["error"]?["code"]?.stringValue == "100")
        }
    }

    @Test("profile returns only the requested fields, /me returns user_id distinct from id")
    func profileAndMe() async throws {
        try await withSandbox { client in
            let profile = try json(
                try await client.execute(
                    uri: "/v26.0/900123?fields=username,name", method: .get, headers: Self.bearer
                ).body)
            #expect(profile["username"]?.stringValue == "user_0123")
            #expect(profile["follower_count"] == nil)
            let me = try json(
                try await client.execute(
                    uri: "/v26.0/me?fields=user_id,username", method: .get, headers: Self.bearer
                ).body)
            #expect(me["user_id"]?.stringValue == "17841400000000001")
            #expect(me["id"]?.stringValue != me["user_id"]?.stringValue)
        }
    }

    @Test("subscribed_apps POST answers success and GET lists the fields")
    func subscribe() async throws {
        try await withSandbox { client in
            let post = try await client.execute(
                uri: "/v26.0/me/subscribed_apps?subscribed_fields=messages,messaging_postbacks", method: .post,
                headers: Self.bearer)
            #expect(try json(post.body)["success"] == .bool(true))
            let get = try json(
                try await client.execute(uri: "/v26.0/me/subscribed_apps", method: .get, headers: Self.bearer).body)
            #expect(get["data"]?.arrayValue.first?["subscribed_fields"]?.arrayValue.count == 2)
        }
    }

    @Test("ring buffer keeps only the newest records, sequence numbers keep rising")
    func boundedRecording() async throws {
        try await withSandbox(SandboxConfiguration(recordCapacity: 3)) { client in
            for index in 1...5 {
                _ = try await client.execute(
                    uri: "/me/messages", method: .post, headers: Self.bearer,
                    body: .text(#"{"recipient":{"id":"\#(index)"},"message":{"text":"m"}}"#))
            }
            let sent = try json(try await client.execute(uri: "/_sandbox/sent", method: .get).body).arrayValue
            #expect(sent.compactMap { $0["recipient"]?.stringValue } == ["3", "4", "5"])
            let since = try json(try await client.execute(uri: "/_sandbox/sent?since=4", method: .get).body)
            #expect(since.arrayValue.count == 1)
        }
    }
}
