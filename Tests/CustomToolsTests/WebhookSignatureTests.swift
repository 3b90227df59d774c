import CryptoCore
import CustomTools
import Testing

@Suite struct WebhookSignatureTests {
    @Test("a receiver verifies the signature over timestamp.body, and any change breaks it")
    func receiverVerifies() throws {
        let secret = Array("whsec_test".utf8)
        let body = Array(#"{"tool":"lookup_order"}"#.utf8)
        let header = try WebhookSignature.sign(body: body, timestamp: 1_764_100_000, secret: secret)
        #expect(header.hasPrefix("sha256="))
        // Independent computation, as a receiver would do it.
        let expected = try HMACSHA256.authenticationCode(
            for: Array("1764100000.".utf8) + body, using: secret)
        #expect(header == "sha256=" + Hex.encode(expected))
        #expect(WebhookSignature.isValid(header, body: body, timestamp: "1764100000", secret: secret))
        #expect(!WebhookSignature.isValid(header, body: body, timestamp: "1764100001", secret: secret))
        #expect(!WebhookSignature.isValid(header, body: body + [0x20], timestamp: "1764100000", secret: secret))
        #expect(!WebhookSignature.isValid(header, body: body, timestamp: "1764100000", secret: secret + [1]))
        #expect(
            !WebhookSignature.isValid(String(header.dropFirst(7)), body: body, timestamp: "1764100000", secret: secret))
    }
}
