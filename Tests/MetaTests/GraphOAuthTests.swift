import Foundation
import Testing

@testable import Meta

@Suite struct GraphOAuthTests {
    let credentials = MetaAppCredentials(
        instagramAppID: "ig-app", instagramAppSecret: "ig-secret", metaAppID: "fb-app", metaAppSecret: "fb-secret")

    @Test(
        "Instagram code exchange parses the data[] shape and posts a form",
        arguments: [
            #"{"data":[{"access_token":"SHORT","user_id":"1020","permissions":"instagram_business_basic,instagram_business_manage_messages"}]}"#,
            #"{"access_token":"SHORT","user_id":1020,"permissions":["instagram_business_basic","instagram_business_manage_messages"]}"#,
        ])
    func codeExchange(_ body: String) async throws {
        try await GraphTestServer.run { meta in
            try await meta.script("POST", "/api/oauth/access_token", body: body)
            let token = try await meta.oauth(credentials).exchangeInstagramCode(
                "CODE#_", redirectURI: "https://relay.test/auth/instagram/callback")
            #expect(token.accessToken == "SHORT")
            #expect(token.userID == "1020")
            #expect(token.permissions == ["instagram_business_basic", "instagram_business_manage_messages"])
            #expect(!token.description.contains("SHORT"))
            let request = try #require(try await meta.received().first)
            #expect(request.query.isEmpty)
            #expect(request.headers["content-type"] == "application/x-www-form-urlencoded")
            #expect(request.body.hasSuffix("&code=CODE"))
            #expect(request.body.contains("client_secret=ig-secret"))
            #expect(request.body.contains("grant_type=authorization_code"))
            #expect(request.body.contains("redirect_uri=https%3A%2F%2Frelay.test%2Fauth%2Finstagram%2Fcallback"))
        }
    }

    @Test("a used code is an oauthError that is not retried")
    func usedCode() async throws {
        try await GraphTestServer.run { meta in
            try await meta.script(
                "POST", "/api/oauth/access_token", status: 400,
                body:
                    #"{"error_type":"OAuthException","code":400,"error_message":"Matching code was not found or was already used"}"#
            )
            let error = await #expect(throws: MetaError.self) {
                try await meta.oauth(credentials).exchangeInstagramCode("C", redirectURI: "https://r")
            }
            #expect(error?.code == .oauthError)
            #expect(error?.isRetryable == false)
            #expect(error?.message?.contains("already used") == true)
        }
    }

    @Test("long-lived exchange and refresh send the token as Bearer, never as access_token in the URL")
    func exchangeAndRefresh() async throws {
        try await GraphTestServer.run { meta in
            let tokenBody = #"{"access_token":"LONG","token_type":"bearer","expires_in":5183944}"#
            try await meta.script("GET", "/access_token", body: tokenBody)
            try await meta.script("GET", "/refresh_access_token", body: tokenBody)
            let client = meta.oauth(credentials)
            let long = try await client.exchangeForLongLivedInstagramToken("SHORT")
            #expect(long.accessToken == "LONG")
            #expect(long.expiresIn == 5_183_944)
            let refreshed = try await client.refreshInstagramToken("LONG")
            #expect(refreshed.accessToken == "LONG")
            let requests = try await meta.received()
            #expect(requests[0].headers["authorization"] == "Bearer SHORT")
            #expect(requests[0].query == "grant_type=ig_exchange_token&client_secret=ig-secret")
            #expect(requests[1].headers["authorization"] == "Bearer LONG")
            #expect(requests[1].query == "grant_type=ig_refresh_token")
            #expect(requests.allSatisfy { !$0.query.contains("access_token") })
        }
    }

    @Test("/me keys the account on user_id, even when it is a number")
    func me() async throws {
        try await GraphTestServer.run { meta in
            try await meta.script(
                "GET", "/v24.0/me",
                body:
                    #"{"user_id":17841400000000001,"username":"shop","name":"Shop","account_type":"BUSINESS","id":"27"}"#
            )
            let account = try await meta.oauth(credentials).instagramAccount(token: "LONG")
            #expect(account.userID == "17841400000000001")
            #expect(account.username == "shop")
            #expect(account.accountType == "BUSINESS")
            let request = try #require(try await meta.received().first)
            #expect(request.query == "fields=user_id%2Cusername%2Cname%2Caccount_type")
            #expect(request.headers["authorization"] == "Bearer LONG")
        }
    }

    @Test("Facebook Login: code exchange, fb_exchange_token, Page tokens")
    func facebook() async throws {
        try await GraphTestServer.run { meta in
            try await meta.script(
                "GET", "/fb/v24.0/oauth/access_token",
                body: #"{"access_token":"FBUSER","token_type":"bearer","expires_in":3600}"#, times: 1)
            try await meta.script(
                "GET", "/fb/v24.0/oauth/access_token",
                body: #"{"access_token":"FBLONG","token_type":"bearer","expires_in":5183944}"#, times: 1)
            try await meta.script(
                "GET", "/fb/v24.0/me/accounts",
                body:
                    #"{"data":[{"id":"1010","name":"Shop Page","access_token":"PAGETOKEN","tasks":["MESSAGING"],"instagram_business_account":{"id":"1784"}},{"id":"2020","name":"Other"}]}"#
            )
            let client = meta.oauth(credentials)
            let user = try await client.exchangeFacebookCode("CODE", redirectURI: "https://r/cb")
            #expect(user.accessToken == "FBUSER")
            let long = try await client.exchangeForLongLivedFacebookToken(user.accessToken)
            #expect(long.accessToken == "FBLONG")
            let pages = try await client.facebookPages(userToken: long.accessToken)
            #expect(pages.count == 2)
            #expect(pages[0].accessToken == "PAGETOKEN")
            #expect(pages[0].instagramBusinessAccountID == "1784")
            #expect(pages[0].tasks == ["MESSAGING"])
            #expect(pages[1].accessToken == nil)
            #expect(!pages[0].description.contains("PAGETOKEN"))
            let requests = try await meta.received()
            #expect(requests[0].query.contains("code=CODE"))
            #expect(requests[1].query.contains("grant_type=fb_exchange_token"))
            #expect(requests[2].headers["authorization"] == "Bearer FBLONG")
        }
    }

    @Test("credentials never print their secrets; missing ones fail before any request")
    func credentialsRedaction() async throws {
        #expect(!credentials.description.contains("ig-secret"))
        #expect(!credentials.description.contains("fb-secret"))
        try await GraphTestServer.run { meta in
            let error = await #expect(throws: MetaError.self) {
                try await meta.oauth(MetaAppCredentials()).exchangeInstagramCode("C", redirectURI: "https://r")
            }
            #expect(error?.code == .invalidRequest)
            let received = try await meta.received()
            #expect(received.isEmpty)
        }
    }
}
