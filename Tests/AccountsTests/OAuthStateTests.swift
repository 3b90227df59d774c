import CryptoCore
import Foundation
import Testing

@testable import Accounts

@Suite struct OAuthStateTests {
    static let key = Array(repeating: UInt8(7), count: 32)

    @Test("a state round-trips and carries tenant, flow and a fresh nonce")
    func roundTrip() throws {
        let signer = try OAuthStateSigner(key: Self.key)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let (token, state) = try signer.issue(tenantID: "42", platform: .instagram, now: now)
        let verified = try signer.verify(token, now: now.addingTimeInterval(599))
        #expect(verified == state)
        #expect(verified.tenantID == "42")
        #expect(verified.platform == .instagram)
        let (other, _) = try signer.issue(tenantID: "42", platform: .instagram, now: now)
        #expect(other != token)
        #expect(!token.contains("42\n"))
    }

    @Test("a state older than 10 minutes is expired")
    func expired() throws {
        let signer = try OAuthStateSigner(key: Self.key)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let (token, _) = try signer.issue(tenantID: "42", platform: .facebook, now: now)
        let error = try #require(throws: AccountsError.self) {
            try signer.verify(token, now: now.addingTimeInterval(601))
        }
        #expect(error.code == .expiredState)
    }

    @Test(
        "forged, tampered and malformed states are refused",
        arguments: ["", "abc", "a.b.c", "....", "%%%.###"])
    func malformed(_ token: String) throws {
        let signer = try OAuthStateSigner(key: Self.key)
        let error = try #require(throws: AccountsError.self) { try signer.verify(token) }
        #expect(error.code == .invalidState)
    }

    @Test("a state signed with another key, or with a swapped tenant, is refused")
    func forged() throws {
        let signer = try OAuthStateSigner(key: Self.key)
        let attacker = try OAuthStateSigner(key: Array(repeating: UInt8(8), count: 32))
        let (token, state) = try attacker.issue(tenantID: "42", platform: .instagram)
        #expect(throws: AccountsError.self) { try signer.verify(token) }
        let (good, _) = try signer.issue(tenantID: "42", platform: .instagram)
        let signature = try #require(good.split(separator: ".").last)
        var swapped = state
        swapped.tenantID = "43"
        let tampered = Base64.encodeURLSafe(swapped.payload) + "." + signature
        let error = try #require(throws: AccountsError.self) { try signer.verify(tampered) }
        #expect(error.code == .invalidState)
    }

    @Test("a short key is a configuration error")
    func shortKey() {
        #expect(throws: AccountsError.self) { try OAuthStateSigner(key: [1, 2, 3]) }
    }

    @Test("missing scopes are reported in order; comma or space separated")
    func scopes() {
        #expect(
            ConnectPlatform.instagram.missingScopes(granted: "instagram_business_basic") == [
                "instagram_business_manage_messages"
            ])
        #expect(
            ConnectPlatform.instagram.missingScopes(
                granted: "instagram_business_manage_messages instagram_business_basic"
            ).isEmpty)
        #expect(ConnectPlatform.facebook.missingScopes(granted: "").count == 6)
    }

    @Test("authorize URLs carry the exact parameters Meta documents, percent-encoded")
    func authorizeURL() throws {
        let configuration = OnboardingConfiguration(
            publicURL: "https://relay.example/", instagramAppID: "990", metaAppID: "991",
            stateKey: Self.key)
        let instagram = AuthorizeURL.make(
            platform: .instagram, appID: "990", state: "a+b/c", configuration: configuration)
        #expect(
            instagram
                == "https://www.instagram.com/oauth/authorize?client_id=990&redirect_uri=https%3A%2F%2Frelay.example"
                + "%2Fauth%2Finstagram%2Fcallback&response_type=code&scope=instagram_business_basic%2C"
                + "instagram_business_manage_messages&state=a%2Bb%2Fc&enable_fb_login=0&force_authentication=1")
        let facebook = AuthorizeURL.make(platform: .facebook, appID: "991", state: "s", configuration: configuration)
        #expect(facebook.hasPrefix("https://www.facebook.com/v24.0/dialog/oauth?client_id=991&redirect_uri="))
        #expect(facebook.contains("pages_manage_metadata"))
    }
}
