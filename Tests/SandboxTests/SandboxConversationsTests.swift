import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import SandboxServer

@Suite struct SandboxConversationsTests {
    static let bearer: HTTPFields = [.authorization: "Bearer sandbox-shop-1", .contentType: "application/json"]
    static let messageFields = "messages.limit(1)%7Bid,created_time,from,to,message%7D"

    static func send(_ client: some TestClientProtocol, _ text: String, to recipient: String, from account: String)
        async throws -> String
    {
        let body = #"{"recipient":{"id":"\#(recipient)"},"message":{"text":"\#(text)"}}"#
        let response = try await client.execute(
            uri: "/v24.0/\(account)/messages", method: .post, headers: bearer, body: .text(body))
        return try #require(try json(response.body)["message_id"]?.stringValue)
    }

    static func get(_ client: some TestClientProtocol, _ uri: String, token: String = "sandbox-shop-1") async throws
        -> (HTTPResponse.Status, JSONValue)
    {
        let response = try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(token)"])
        return (response.status, try json(response.body))
    }

    @Test("user_id + messages.limit(N){…}: the customer's conversation, newest message first, Meta's shapes")
    func instagramConversation() async throws {
        try await withSandbox { client in
            let account = "17841400000000001"
            _ = try await Self.send(client, "first", to: "555", from: account)
            let second = try await Self.send(client, "second", to: "555", from: "me")
            _ = try await Self.send(client, "other customer", to: "777", from: account)
            let (status, reply) = try await Self.get(
                client, "/v24.0/me/conversations?platform=instagram&user_id=555&fields=\(Self.messageFields)")
            #expect(status == .ok)
            let conversations = reply["data"]?.arrayValue ?? []
            #expect(conversations.count == 1)
            #expect(reply["paging"]?["cursors"]?["after"]?.stringValue != nil)
            let messages = conversations.first?["messages"]?["data"]?.arrayValue ?? []
            #expect(messages.count == 1)
            let newest = try #require(messages.first)
            #expect(newest["id"]?.stringValue == second)
            #expect(newest["message"]?.stringValue == "second")
            #expect(newest["from"]?["id"]?.stringValue == account)
            #expect(newest["from"]?["username"]?.stringValue == "sandbox_shop")
            #expect(newest["to"]?["data"]?.arrayValue.first?["id"]?.stringValue == "555")
            let created = try #require(newest["created_time"]?.stringValue)
            #expect(created.count == 24 && created.hasSuffix("+0000") && created.dropFirst(10).first == "T")
            // Same conversation through /{ig-id}/conversations, all messages.
            let (_, all) = try await Self.get(
                client, "/\(account)/conversations?user_id=555&fields=messages%7Bmessage%7D")
            let texts = all["data"]?.arrayValue.first?["messages"]?["data"]?.arrayValue.map {
                $0["message"]?.stringValue
            }
            #expect(texts == ["second", "first"])
        }
    }

    @Test("without user_id: every conversation, most recently updated first, id and updated_time by default")
    func listing() async throws {
        // Three calls in a row: over Meta's 2 calls per second, so the budget is lifted here.
        let unlimited = SandboxConfiguration(faults: SandboxFaults(conversationsLimit: CallLimit(calls: 0)))
        try await withSandbox(unlimited) { client in
            _ = try await Self.send(client, "a", to: "555", from: "17841400000000001")
            _ = try await Self.send(client, "b", to: "777", from: "17841400000000001")
            let (status, reply) = try await Self.get(client, "/v24.0/me/conversations?platform=instagram")
            #expect(status == .ok)
            let data = reply["data"]?.arrayValue ?? []
            #expect(data.count == 2)
            #expect(data.allSatisfy { $0["id"]?.stringValue != nil && $0["updated_time"]?.stringValue != nil })
            #expect(data.allSatisfy { $0["messages"] == nil })
            #expect(data.first?["id"] != data.last?["id"])
            let (_, page) = try await Self.get(client, "/v24.0/me/conversations?platform=instagram&limit=1")
            #expect(page["data"]?.arrayValue.count == 1)
            let after = try #require(page["paging"]?["cursors"]?["after"]?.stringValue)
            let (_, next) = try await Self.get(
                client, "/v24.0/me/conversations?platform=instagram&limit=1&after=\(after)")
            #expect(next["data"]?.arrayValue.first?["id"] == data.last?["id"])
        }
    }

    @Test("Messenger: /{page-id}/conversations?platform=messenger names people with name and email")
    func messenger() async throws {
        try await withSandbox { client in
            let sent = try await Self.send(client, "hello psid", to: "psid-1", from: "page-1")
            let (status, reply) = try await Self.get(
                client, "/v24.0/page-1/conversations?platform=messenger&user_id=psid-1&fields=\(Self.messageFields)")
            #expect(status == .ok)
            let message = reply["data"]?.arrayValue.first?["messages"]?["data"]?.arrayValue.first
            #expect(message?["id"]?.stringValue == sent)
            #expect(message?["from"]?["id"]?.stringValue == "page-1")
            #expect(message?["from"]?["email"]?.stringValue == "page-1@facebook.com")
            #expect(message?["to"]?["data"]?.arrayValue.first?["name"]?.stringValue != nil)
        }
    }

    @Test("bad token 190, bad platform or field 100, fault rules on route conversations")
    func errors() async throws {
        try await withSandbox { client in
            let (badToken, tokenError) = try await Self.get(client, "/v24.0/me/conversations", token: "EAAnope")
            #expect(badToken == .badRequest && tokenError["error"]?["code"]?.stringValue == "190")
            let (_, platform) = try await Self.get(client, "/v24.0/me/conversations?platform=telegram")
            #expect(platform["error"]?["code"]?.stringValue == "100")
            let (_, field) = try await Self.get(client, "/v24.0/me/conversations?fields=messages%7Bsecret%7D")
            #expect(field["error"]?["message"]?.stringValue?.contains("(secret) on node type (Message)") == true)
            _ = try await client.execute(
                uri: "/_sandbox/faults", method: .post,
                body: .text(#"{"graph":[{"route":"conversations","status":503,"times":1}]}"#))
            let (faulted, fault) = try await Self.get(client, "/v24.0/me/conversations")
            #expect(faulted == .serviceUnavailable && fault["error"]?["code"]?.stringValue == "2")
            let (after, _) = try await Self.get(client, "/v24.0/me/conversations")
            #expect(after == .ok)
        }
    }

    @Test("over the per-account budget: Graph error 613, marked transient; other accounts are not affected")
    func rateLimit() async throws {
        try await withSandbox { client in
            _ = try await client.execute(
                uri: "/_sandbox/faults", method: .post,
                body: .text(#"{"conversations_limit":{"calls":1,"window_ms":600000}}"#))
            #expect(try await Self.get(client, "/v24.0/me/conversations").0 == .ok)
            let (status, limited) = try await Self.get(client, "/v24.0/17841400000000001/conversations")
            #expect(status == .badRequest)
            #expect(limited["error"]?["code"]?.stringValue == "613")
            #expect(limited["error"]?["is_transient"] == .bool(true))
            #expect(try await Self.get(client, "/v24.0/page-2/conversations").0 == .ok)
        }
    }

    @Test("the default budget is Meta's: 2 calls per second per account, a sliding window")
    func defaultBudget() {
        let state = SandboxState(configuration: SandboxConfiguration())
        #expect(state.admitConversationsCall(account: "a", nowMs: 10_000))
        #expect(state.admitConversationsCall(account: "a", nowMs: 10_100))
        #expect(!state.admitConversationsCall(account: "a", nowMs: 10_900))
        #expect(state.admitConversationsCall(account: "b", nowMs: 10_900))
        #expect(state.admitConversationsCall(account: "a", nowMs: 11_000))
        state.faults = SandboxFaults(conversationsLimit: CallLimit(calls: 0))
        #expect((0..<10).allSatisfy { _ in state.admitConversationsCall(account: "a", nowMs: 11_001) })
    }

    @Test("field expansion: names, .limit(N) before or after the braces, nesting; unbalanced input refused")
    func fieldSelection() throws {
        let fields = try #require(GraphFieldSelection.parse("messages.limit(5){id,from},id, updated_time"))
        #expect(fields.map(\.name) == ["messages", "id", "updated_time"])
        #expect(fields[0].limit == 5 && fields[0].subfields?.map(\.name) == ["id", "from"])
        let after = try #require(GraphFieldSelection.parse("messages{id}.limit(3)"))
        #expect(after[0].limit == 3 && after[0].subfields?.count == 1)
        #expect(GraphFieldSelection.parse("messages{id") == nil)
        #expect(GraphFieldSelection.parse("messages.limit(2") == nil)
    }

    @Test(
        "Graph times are ISO 8601 in UTC with +0000",
        arguments: [
            (Int64(0), "1970-01-01T00:00:00+0000"), (Int64(1_764_134_200_999), "2025-11-26T05:16:40+0000"),
            (Int64(951_782_400_000), "2000-02-29T00:00:00+0000"),
        ])
    func graphTime(_ milliseconds: Int64, _ text: String) {
        #expect(GraphTime.format(milliseconds) == text)
    }
}
