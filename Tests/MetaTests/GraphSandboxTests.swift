import Foundation
import HTTP
import Logging
import TestSupport
import Testing

@testable import Meta

/// The Graph and OAuth clients against `woodstock-sandbox`, which speaks Meta's wire formats.
@Suite struct GraphSandboxTests {
    let account = GraphAccount(platform: .instagram, id: "17841400000000001")
    let token = "sandbox-tenant-a"

    static func withClients(
        _ body: (TestSandbox, HTTPClient, GraphAPIConfiguration) async throws -> Void
    ) async throws {
        try await TestSandbox.withSandbox { sandbox in
            let http = try HTTPClient(logger: Logger(label: "test.sandbox"))
            let configuration = GraphAPIConfiguration(
                instagramGraphURL: sandbox.baseURL, facebookGraphURL: sandbox.baseURL,
                instagramAPIURL: sandbox.baseURL, timeout: .seconds(10))
            do {
                try await body(sandbox, http, configuration)
            } catch {
                await http.shutdown()
                throw error
            }
            await http.shutdown()
        }
    }

    static func post(_ http: HTTPClient, _ url: String, json: String) async throws {
        let response = try await http.execute(
            HTTPRequest(method: .post, url: url, headers: ["Content-Type": "application/json"], body: Array(json.utf8)))
        #expect(response.status == 200)
    }

    @Test("send, sender action, profile and subscriptions; the sandbox records what was sent")
    func messaging() async throws {
        try await Self.withClients { sandbox, http, configuration in
            let graph = GraphClient(http: http, configuration: configuration, logger: Logger(label: "test.graph"))
            let sent = try await graph.sendText("Hello from the relay", to: "igsid-1", from: account, token: token)
            #expect(sent.messageID.isEmpty == false)
            #expect(sent.recipientID == "igsid-1")
            try await graph.sendAction(.typingOn, to: "igsid-1", from: account, token: token)
            let long = String(repeating: "Sentence with some words in it. ", count: 70)
            let parts = try await graph.sendReply(long, to: "igsid-1", from: account, token: token)
            #expect(parts.count == 3)

            let records = try await http.execute(HTTPRequest(url: sandbox.baseURL + "/_sandbox/sent?recipient=igsid-1"))
            let list = try #require(try JSONSerialization.jsonObject(with: Data(records.body)) as? [[String: Any]])
            #expect(list.count == 5)
            #expect(list.first?["text"] as? String == "Hello from the relay")
            #expect(list.first?["message_id"] as? String == sent.messageID)
            #expect(list.first?["api_version"] as? String == "v24.0")
            #expect(list[1]["sender_action"] as? String == "typing_on")
            #expect(list.dropFirst(2).allSatisfy { (($0["text"] as? String)?.utf8.count ?? 1001) <= 1000 })

            let profile = try await graph.profile(of: "igsid-1234", via: account, token: token)
            #expect(profile.username == "user_1234")
            #expect(
                try await graph.subscribeApp(
                    account: account, fields: ["messages", "messaging_postbacks"], token: token))
            #expect(
                try await graph.subscribedFields(account: account, token: token) == ["messages", "messaging_postbacks"])
        }
    }

    @Test("injected Graph faults arrive with the right category and retry advice")
    func faults() async throws {
        try await Self.withClients { sandbox, http, configuration in
            let graph = GraphClient(http: http, configuration: configuration, logger: Logger(label: "test.graph"))
            try await Self.post(
                http, sandbox.baseURL + "/_sandbox/faults",
                json: #"""
                    {"graph":[{"route":"send","code":190,"subcode":463,"times":1},
                              {"route":"send","code":613,"retry_after":30,"times":1},
                              {"route":"send","code":10,"subcode":2534022,"times":1},
                              {"route":"send","status":503,"times":1},
                              {"route":"send","code":551,"times":1}]}
                    """#)
            var categories: [GraphErrorCategory] = []
            var retryable: [Bool] = []
            for _ in 0..<5 {
                let error = await #expect(throws: MetaError.self) {
                    try await graph.sendText("hi", to: "igsid-2", from: account, token: token)
                }
                categories.append(error?.category ?? .unknown)
                retryable.append(error?.isRetryable ?? false)
                if error?.category == .rateLimited { #expect(error?.retryAfter == .seconds(30)) }
            }
            #expect(categories == [.tokenInvalid, .rateLimited, .outsideWindow, .transient, .userUnavailable])
            #expect(retryable == [false, true, false, true, false])
            // Faults used up: the next send goes through.
            #expect(
                try await graph.sendText("hi", to: "igsid-2", from: account, token: token).messageID.isEmpty == false)
            // An unknown token is rejected like Meta does (190).
            let invalid = await #expect(throws: MetaError.self) {
                try await graph.sendText("hi", to: "igsid-2", from: account, token: "not-a-sandbox-token")
            }
            #expect(invalid?.needsReauthorization == true)
        }
    }

    @Test("Instagram Login and Facebook Login end to end through the sandbox's OAuth")
    func oauth() async throws {
        try await Self.withClients { sandbox, http, configuration in
            let oauth = MetaOAuthClient(
                http: http, configuration: configuration,
                credentials: MetaAppCredentials(
                    instagramAppID: "ig-app", instagramAppSecret: "ig-secret", metaAppID: "fb-app",
                    metaAppSecret: "fb-secret"),
                logger: Logger(label: "test.oauth"))
            let redirect = "https://relay.test/auth/instagram/callback"
            let code = try await Self.authorize(http, sandbox.baseURL + "/oauth/authorize", redirect: redirect)
            let short = try await oauth.exchangeInstagramCode(code + "#_", redirectURI: redirect)
            #expect(short.userID == "17841400000000001")
            #expect(short.permissions.contains("instagram_business_manage_messages"))
            let long = try await oauth.exchangeForLongLivedInstagramToken(short.accessToken)
            #expect(long.expiresIn == 5_183_944)
            let refreshed = try await oauth.refreshInstagramToken(long.accessToken)
            #expect(refreshed.accessToken != long.accessToken)
            let me = try await oauth.instagramAccount(token: refreshed.accessToken)
            #expect(me.userID == "17841400000000001")
            #expect(me.username == "sandbox_shop")
            let reused = await #expect(throws: MetaError.self) {
                try await oauth.exchangeInstagramCode(code, redirectURI: redirect)
            }
            #expect(reused?.code == .oauthError)

            let fbRedirect = "https://relay.test/auth/facebook/callback"
            let fbCode = try await Self.authorize(http, sandbox.baseURL + "/v24.0/dialog/oauth", redirect: fbRedirect)
            let user = try await oauth.exchangeFacebookCode(fbCode, redirectURI: fbRedirect)
            let longUser = try await oauth.exchangeForLongLivedFacebookToken(user.accessToken)
            let pages = try await oauth.facebookPages(userToken: longUser.accessToken)
            let page = try #require(pages.first)
            #expect(page.accessToken != nil)
            #expect(page.instagramBusinessAccountID == "17841400000000001")
            let graph = GraphClient(http: http, configuration: configuration, logger: Logger(label: "test.graph"))
            let sent = try await graph.sendText(
                "Hi via Page", to: "igsid-3", from: GraphAccount(platform: .facebook, id: page.id),
                token: page.accessToken ?? "")
            #expect(sent.messageID.isEmpty == false)
        }
    }

    /// Follows the sandbox's authorize redirect by hand and returns the `code`.
    static func authorize(_ http: HTTPClient, _ url: String, redirect: String) async throws -> String {
        let query =
            "client_id=app&response_type=code&state=s1&redirect_uri="
            + (redirect.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        let response = try await http.execute(HTTPRequest(url: url + "?" + query))
        #expect(response.status == 302)
        let location = try #require(response.headers["Location"])
        let components = try #require(URLComponents(string: location.replacingOccurrences(of: "#_", with: "")))
        #expect(components.queryItems?.first { $0.name == "state" }?.value == "s1")
        return try #require(components.queryItems?.first { $0.name == "code" }?.value)
    }
}
