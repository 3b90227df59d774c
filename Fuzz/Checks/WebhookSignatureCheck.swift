import Meta

/// The X-Hub-Signature-256 check's property (Sources/Meta/Webhook/WebhookSignatureVerifier.swift), shared by the
/// libFuzzer target and the corpus replay test. Input: first byte = header length n, then n header bytes, then the
/// body. The fuzzed header is accepted only if it is exactly a right signature, and the right one always is.
public enum WebhookSignatureCheck {
    private static let secret = "fuzz-app-secret"
    private static let verifier = WebhookSignatureVerifier(appSecrets: ["other-secret", secret])

    /// Checks one input.
    /// - Parameter input: the encoded header and body.
    /// - Returns: what went wrong, or `nil` when the property holds.
    public static func check(_ input: [UInt8]) -> String? {
        guard let first = input.first else {
            _ = verifier.isValid(signatureHeader: nil, body: [])
            return nil
        }
        let headerLength = min(Int(first), input.count - 1)
        let header = String(decoding: input[1..<(1 + headerLength)], as: UTF8.self)
        let body = Array(input[(1 + headerLength)...])
        guard let correct = try? WebhookSignatureVerifier.signatureHeader(for: body, secret: secret) else {
            return "signing failed"
        }
        if !verifier.isValid(signatureHeader: correct, body: body) { return "the right signature was refused" }
        let accepted = verifier.isValid(signatureHeader: header, body: body)
        let other = try? WebhookSignatureVerifier.signatureHeader(for: body, secret: "other-secret")
        let expected = header.lowercased() == correct.lowercased() || header.lowercased() == other?.lowercased()
        if accepted && !expected { return "a wrong signature was accepted: \(header)" }
        if (try? verifier.verify(signatureHeader: header, body: body)) != nil, !accepted {
            return "verify and isValid disagree"
        }
        return nil
    }
}
