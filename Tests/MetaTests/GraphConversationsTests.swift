import Foundation
import HTTP
import Logging
import TestSupport
import Testing

@testable import Meta

@Suite struct GraphConversationsTests {
    let account = GraphAccount(platform: .instagram, id: "17841400000000001")
    let token = "sandbox-conversations-secret"

    @Test("recent messages with a customer through the sandbox: newest first, ids as the Send API returned them")
    func sandboxInstagram() async throws {
        try await GraphSandboxTests.withClients { _, http, configuration in
            let graph = GraphClient(http: http, configuration: configuration, logger: Logger(label: "test.graph"))
            let first = try await graph.sendText("First part", to: "igsid-7", from: account, token: token)
            let second = try await graph.sendText("Second part", to: "igsid-7", from: account, token: token)
            _ = try await graph.sendText("Someone else", to: "igsid-8", from: account, token: token)
            let messages = try await graph.recentMessages(with: "igsid-7", account: account, token: token)
            #expect(messages.map(\.id) == [second.messageID, first.messageID])
            #expect(messages.map(\.text) == ["Second part", "First part"])
            #expect(messages.allSatisfy { $0.senderID == account.id })
            let created = try #require(messages.first?.createdAt)
            #expect(abs(created.timeIntervalSinceNow) < 120)
            #expect(try await graph.recentMessages(with: "igsid-none", account: account, token: token).isEmpty)
        }
    }

    @Test("a Facebook Login account reads its Messenger conversation (platform=messenger)")
    func sandboxMessenger() async throws {
        try await GraphSandboxTests.withClients { _, http, configuration in
            let graph = GraphClient(http: http, configuration: configuration, logger: Logger(label: "test.graph"))
            let page = GraphAccount(platform: .facebook, id: "page-42")
            let sent = try await graph.sendText("Hello PSID", to: "psid-1", from: page, token: token)
            let messages = try await graph.recentMessages(with: "psid-1", account: page, token: token)
            #expect(messages.map(\.id) == [sent.messageID])
            #expect(messages.first?.senderID == "page-42")
        }
    }

    @Test("a rejected token is tokenInvalid, the budget is rateLimited; no secret in any error")
    func sandboxErrors() async throws {
        try await GraphSandboxTests.withClients { sandbox, http, configuration in
            let graph = GraphClient(http: http, configuration: configuration, logger: Logger(label: "test.graph"))
            let secret = "EAAB-not-a-valid-secret-token"
            let invalid = await #expect(throws: MetaError.self) {
                try await graph.recentMessages(with: "igsid-1", account: account, token: secret)
            }
            #expect(invalid?.category == .tokenInvalid)
            #expect(invalid.map { "\($0)".contains(secret) } == false)
            try await GraphSandboxTests.post(
                http, sandbox.baseURL + "/_sandbox/faults",
                json: #"{"conversations_limit":{"calls":1,"window_ms":600000}}"#)
            _ = try await graph.recentMessages(with: "igsid-1", account: account, token: token)
            let limited = await #expect(throws: MetaError.self) {
                try await graph.recentMessages(with: "igsid-1", account: account, token: token)
            }
            #expect(limited?.category == .rateLimited && limited?.isRetryable == true)
            #expect(limited.map { "\($0)".contains(token) } == false)
        }
    }

    @Test("wire format: GET with platform, user_id and nested fields; the token only in Authorization")
    func wireFormat() async throws {
        try await GraphTestServer.run { meta in
            try await meta.script(
                "GET", "/v24.0/17841400000000001/conversations",
                body: #"""
                    {"data":[{"id":"aWdfZAG06","messages":{"data":[
                      {"id":"m2","created_time":"2025-11-26T05:16:41+0000","from":{"username":"shop","id":"17841400000000001"},
                       "to":{"data":[{"username":"c","id":"999"}]},"message":"Later"},
                      {"id":"m1","created_time":"2025-11-26T05:16:40+0000","from":{"username":"c","id":"999"},
                       "to":{"data":[{"username":"shop","id":"17841400000000001"}]},"message":"Earlier"},
                      {"id":"m0","created_time":"2025-11-26T05:16:39+0000","from":{"id":"17841400000000001"}}],
                      "paging":{"cursors":{"before":"QVFI","after":"QVFJ"}}}}],
                     "paging":{"cursors":{"before":"QVFI","after":"QVFJ"}}}
                    """#)
            let secret = "IGQVJ-conversations-secret"
            let messages = try await meta.graph.recentMessages(with: "999", account: account, limit: 5, token: secret)
            #expect(messages.map(\.id) == ["m2", "m1", "m0"])
            #expect(messages.map(\.senderID) == ["17841400000000001", "999", "17841400000000001"])
            #expect(messages[2].text.isEmpty)
            #expect(messages[1].createdAt == Date(timeIntervalSince1970: 1_764_134_200))
            let request = try #require(try await meta.received().first)
            #expect(request.method == "GET")
            #expect(request.headers["authorization"] == "Bearer \(secret)")
            #expect(!request.query.contains(secret) && !request.path.contains(secret))
            #expect(request.query.contains("platform=instagram") && request.query.contains("user_id=999"))
            let fields = request.query.split(separator: "&").first { $0.hasPrefix("fields=") }
            #expect(fields?.removingPercentEncoding == "fields=messages.limit(5){id,created_time,from,to,message}")
        }
    }

    @Test(
        "Graph timestamps: +0000, Z, +01:00, fractions and Unix seconds",
        arguments: [
            ("2025-11-26T05:16:40+0000", 1_764_134_200.0), ("2025-11-26T05:16:40Z", 1_764_134_200.0),
            ("2025-11-26T06:16:40+01:00", 1_764_134_200.0), ("2025-11-26T05:16:40.5+0000", 1_764_134_200.5),
            ("1764134200", 1_764_134_200.0),
        ])
    func timestamps(_ text: String, _ seconds: Double) {
        #expect(GraphTimestamp.date(text) == Date(timeIntervalSince1970: seconds))
    }

    @Test("unreadable timestamps are nil", arguments: ["", "yesterday", "2025-13-01T00:00:00+0000", "2025-11-26"])
    func badTimestamps(_ text: String) {
        #expect(GraphTimestamp.date(text) == nil)
    }
}
