// libFuzzer target: Meta's webhook parser (Sources/Meta/Webhook/WebhookParser.swift, on HTTP's JSONBodyValue).
// Any body must parse or throw MetaError, never crash; every parsed event must survive the trip through its
// compact job payload unchanged, both ways it travels through Redis: `serve` writes it with
// `WebhookEvent.jsonPayload()` (which must be byte for byte JSONEncoder's sorted output) and the worker reads it
// with `WebhookEvent.fastDecoded(from:)` (which must agree with JSONDecoder whenever it answers).
import Foundation
import Meta

/// JSONEncoder as the job payload's reference form (sorted keys, as `jsonPayload()` promises).
private let referenceEncoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
}()

/// libFuzzer's entry point: checks one input of `size` bytes at `data`; returns 0 (a failed check traps).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebhookParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = Array(UnsafeBufferPointer(start: data, count: size))
    // The same bytes as a job payload: the fast reader may decline, but never disagree with JSONDecoder.
    if let fast = WebhookEvent.fastDecoded(from: body) {
        guard let decoded = try? JSONDecoder().decode(WebhookEvent.self, from: Data(body)), decoded == fast else {
            fatalError("fastDecoded accepted a payload JSONDecoder reads differently or refuses")
        }
    }
    guard let batch = try? WebhookParser.parse(body) else { return 0 }
    for event in batch.events {
        let payload = event.jsonPayload()
        guard let decoded = try? JSONDecoder().decode(WebhookEvent.self, from: Data(payload)) else {
            fatalError("jsonPayload() does not decode: \(String(decoding: payload, as: UTF8.self))")
        }
        if decoded != event { fatalError("event changed in its job payload: \(event) -> \(decoded)") }
        if let fast = WebhookEvent.fastDecoded(from: payload), fast != event {
            fatalError("fastDecoded disagrees with JSONDecoder: \(event) -> \(fast)")
        }
        guard let reference = try? referenceEncoder.encode(event) else { fatalError("event does not encode") }
        if Array(reference) != payload {
            fatalError(
                "jsonPayload() differs from JSONEncoder: \(String(decoding: payload, as: UTF8.self)) vs "
                    + String(decoding: reference, as: UTF8.self))
        }
    }
    return 0
}
