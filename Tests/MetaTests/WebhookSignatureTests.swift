import Foundation
import Testing

@testable import Meta

@Suite struct WebhookSignatureTests {
    static let body = Array(#"{"object":"instagram","entry":[]}"#.utf8)
    static let verifier = WebhookSignatureVerifier(appSecrets: ["instagram-secret", "meta-secret"])

    @Test("a signature by either configured secret is valid")
    func validEitherSecret() throws {
        for secret in ["instagram-secret", "meta-secret"] {
            let header = try WebhookSignatureVerifier.signatureHeader(for: Self.body, secret: secret)
            #expect(header.hasPrefix("sha256=") && header.count == 71)
            #expect(Self.verifier.isValid(signatureHeader: header, body: Self.body))
            #expect(
                Self.verifier.isValid(
                    signatureHeader: header.uppercased().replacingOccurrences(of: "SHA256=", with: "sha256="),
                    body: Self.body))
        }
    }

    @Test("missing, wrong secret, wrong prefix, truncated and non-hex signatures are refused")
    func invalid() throws {
        let good = try WebhookSignatureVerifier.signatureHeader(for: Self.body, secret: "meta-secret")
        let hex = String(good.dropFirst("sha256=".count))
        let wrongSecret = try WebhookSignatureVerifier.signatureHeader(for: Self.body, secret: "other")
        for header in [
            nil, "", wrongSecret, "sha1=\(hex)", hex, "sha256=\(hex.dropLast())",
            "sha256=" + String(repeating: "z", count: 64),
        ] {
            #expect(!Self.verifier.isValid(signatureHeader: header, body: Self.body))
        }
        #expect(throws: MetaError.self) { try Self.verifier.verify(signatureHeader: nil, body: Self.body) }
    }

    @Test("changing any single byte of the body invalidates the signature")
    func bodyChanged() throws {
        let header = try WebhookSignatureVerifier.signatureHeader(for: Self.body, secret: "instagram-secret")
        for index in Self.body.indices {
            var changed = Self.body
            changed[index] ^= 0x01
            #expect(!Self.verifier.isValid(signatureHeader: header, body: changed))
        }
    }

    @Test("a verifier without secrets accepts nothing, and its description hides the secrets")
    func noSecrets() throws {
        let header = try WebhookSignatureVerifier.signatureHeader(for: Self.body, secret: "")
        #expect(!WebhookSignatureVerifier(appSecrets: [""]).isValid(signatureHeader: header, body: Self.body))
        #expect(!Self.verifier.description.contains("secret-"))
        #expect(!"\(Self.verifier)".contains("meta-secret"))
    }
}
