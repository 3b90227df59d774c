// libFuzzer target: the X-Hub-Signature-256 check (Sources/Meta/Webhook/WebhookSignatureVerifier.swift).
// Input: first byte = header length n, then n header bytes, then the body. The fuzzed header is accepted
// only if it is exactly the right signature, and the right signature is always accepted.
import Meta

private let secret = "fuzz-app-secret"
private let verifier = WebhookSignatureVerifier(appSecrets: ["other-secret", secret])

/// libFuzzer's entry point: checks one input of `size` bytes at `data`; returns 0 (a failed check traps).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebhookSignature(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    guard let first = input.first else {
        _ = verifier.isValid(signatureHeader: nil, body: [])
        return 0
    }
    let headerLength = min(Int(first), input.count - 1)
    let header = String(decoding: input[1..<(1 + headerLength)], as: UTF8.self)
    let body = Array(input[(1 + headerLength)...])
    guard let correct = try? WebhookSignatureVerifier.signatureHeader(for: body, secret: secret) else {
        fatalError("signing failed")
    }
    if !verifier.isValid(signatureHeader: correct, body: body) { fatalError("the right signature was refused") }
    let accepted = verifier.isValid(signatureHeader: header, body: body)
    let other = try? WebhookSignatureVerifier.signatureHeader(for: body, secret: "other-secret")
    let expected = header.lowercased() == correct.lowercased() || header.lowercased() == other?.lowercased()
    if accepted && !expected { fatalError("a wrong signature was accepted: \(header)") }
    if (try? verifier.verify(signatureHeader: header, body: body)) != nil, !accepted {
        fatalError("verify and isValid disagree")
    }
    return 0
}
