// libFuzzer target: Meta's webhook parser (Sources/Meta/Webhook/WebhookParser.swift).
// Any body must parse or throw MetaError, never crash; every parsed event must survive the trip
// through its compact Codable job payload unchanged (the form it travels in through Redis).
import Foundation
import Meta

/// libFuzzer's entry point: checks one input of `size` bytes at `data`; returns 0 (a failed check traps).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebhookParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = Array(UnsafeBufferPointer(start: data, count: size))
    guard let batch = try? WebhookParser.parse(body) else { return 0 }
    for event in batch.events {
        guard let payload = try? JSONEncoder().encode(event) else { fatalError("event does not encode") }
        guard let decoded = try? JSONDecoder().decode(WebhookEvent.self, from: payload) else {
            fatalError("encoded event does not decode: \(String(decoding: payload, as: UTF8.self))")
        }
        if decoded != event { fatalError("event changed in its job payload: \(event) -> \(decoded)") }
    }
    return 0
}
