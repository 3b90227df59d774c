import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import SandboxServer

@Suite struct SandboxOAuthTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    /// Follows the authorize redirect and returns the query items of the Location header.
    static func authorize(_ client: some TestClientProtocol, extra: String = "") async throws -> [String: String] {
        let response = try await client.execute(
            uri: "/oauth/authorize?client_id=1&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&state=s%2B1\(extra)",
            method: .get)
        #expect(response.status == .found)
        let location = try #require(response.headers[.location])
        #expect(location.hasPrefix("https://app.test/cb?"))
        let components = try #require(URLComponents(string: location))
        return Dictionary(uniqueKeysWithValues: (components.queryItems ?? []).map { ($0.name, $0.value ?? "") })
    }

    @Test("Instagram login: authorize → code → short → long-lived → refresh → /me; a used code is refused")
    func instagramFlow() async throws {
        try await withSandbox { client in
            let query = try await Self.authorize(client)
            #expect(query["state"] == "s+1")
            let code = try #require(query["code"])
            let form =
                "client_id=1&client_secret=sec&grant_type=authorization_code&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&code=\(code)"
            let exchange = try json(
                try await client.execute(
                    uri: "/oauth/access_token", method: .post, headers: Self.form, body: .text(form)
                ).body)
            let data = try #require(exchange["data"]?.arrayValue.first)
            #expect(data["user_id"]?.stringValue == "17841400000000001")
            #expect(data["permissions"]?.stringValue?.contains("instagram_business_manage_messages") == true)
            let short = try #require(data["access_token"]?.stringValue)

            let again = try await client.execute(
                uri: "/oauth/access_token", method: .post, headers: Self.form, body: .text(form))
            #expect(again.status == .badRequest)
            #expect(
                try json(again.body)["error_message"]?.stringValue == "Matching code was not found or was already used")
            #expect(try json(again.body)["error_type"]?.stringValue == "OAuthException")

            let long = try json(
                try await client.execute(
                    uri: "/access_token?grant_type=ig_exchange_token&client_secret=sec", method: .get,
                    headers: [.authorization: "Bearer \(short)"]
                ).body)
            #expect(long["token_type"]?.stringValue == "bearer")
            #expect(long["expires_in"]?.stringValue == "5183944")
            let longToken = try #require(long["access_token"]?.stringValue)
            let refreshed = try json(
                try await client.execute(
                    uri: "/refresh_access_token?grant_type=ig_refresh_token&access_token=\(longToken)", method: .get
                ).body)
            let refreshedToken = try #require(refreshed["access_token"]?.stringValue)
            let me = try json(
                try await client.execute(
                    uri: "/v26.0/me?fields=user_id,username", method: .get,
                    headers: [.authorization: "Bearer \(refreshedToken)"]
                ).body)
            #expect(me["username"]?.stringValue == "sandbox_shop")
        }
    }

    @Test("denied login redirects with error=access_denied and the state")
    func deniedLogin() async throws {
        try await withSandbox(SandboxConfiguration(deniesOAuth: true)) { client in
            let query = try await Self.authorize(client)
            #expect(query["error"] == "access_denied")
            #expect(query["error_reason"] == "user_denied")
            #expect(query["state"] == "s+1")
            #expect(query["code"] == nil)
        }
    }

    @Test("Facebook login: code → user token → fb_exchange_token → /me/accounts page token")
    func facebookFlow() async throws {
        try await withSandbox { client in
            let code = try #require(
                try await Self.authorize(client, extra: "&sandbox_user_id=17841400000000009")["code"])
            let user = try json(
                try await client.execute(
                    uri:
                        "/v26.0/oauth/access_token?client_id=1&client_secret=s&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&code=\(code)",
                    method: .get
                ).body)
            let userToken = try #require(user["access_token"]?.stringValue)
            let long = try json(
                try await client.execute(
                    uri:
                        "/v26.0/oauth/access_token?grant_type=fb_exchange_token&client_id=1&client_secret=s&fb_exchange_token=\(userToken)",
                    method: .get
                ).body)
            let longToken = try #require(long["access_token"]?.stringValue)
            let pages = try json(
                try await client.execute(
                    uri: "/v26.0/me/accounts?fields=id,name,access_token,instagram_business_account", method: .get,
                    headers: [.authorization: "Bearer \(longToken)"]
                ).body)
            let page = try #require(pages["data"]?.arrayValue.first)
            #expect(page["instagram_business_account"]?["id"]?.stringValue == "17841400000000009")
            let pageToken = try #require(page["access_token"]?.stringValue)
            let send = try await client.execute(
                uri: "/v26.0/me/messages", method: .post,
                headers: [.authorization: "Bearer \(pageToken)", .contentType: "application/json"],
                body: .text(#"{"recipient":{"id":"7"},"message":{"text":"hello"}}"#))
            #expect(send.status == .ok)
        }
    }
}
