import Foundation
import Meta

/// The webhook parser's property (Sources/Meta/Webhook/WebhookParser.swift, on HTTP's JSONBodyValue), shared by the
/// libFuzzer target and the corpus replay test: any body parses or throws, never crashes; every parsed event
/// survives its job payload both ways it travels through Redis — `serve` writes `WebhookEvent.jsonPayload()`
/// (byte for byte JSONEncoder's sorted output) and the worker reads `WebhookEvent.fastDecoded(from:)` (which must
/// agree with JSONDecoder whenever it answers). The same bytes read as a job payload must not make the fast
/// reader disagree with JSONDecoder either.
public enum WebhookParserCheck {
    private static let referenceEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Checks one input.
    /// - Parameter body: the bytes (a webhook body, or anything).
    /// - Returns: what went wrong, or `nil` when the property holds.
    public static func check(_ body: [UInt8]) -> String? {
        if let fast = WebhookEvent.fastDecoded(from: body) {
            guard let decoded = try? JSONDecoder().decode(WebhookEvent.self, from: Data(body)), decoded == fast else {
                return "fastDecoded accepted a payload JSONDecoder reads differently or refuses"
            }
        }
        guard let batch = try? WebhookParser.parse(body) else { return nil }
        for event in batch.events {
            let payload = event.jsonPayload()
            guard let decoded = try? JSONDecoder().decode(WebhookEvent.self, from: Data(payload)) else {
                return "jsonPayload() does not decode: \(String(decoding: payload, as: UTF8.self))"
            }
            if decoded != event { return "event changed in its job payload: \(event) -> \(decoded)" }
            if let fast = WebhookEvent.fastDecoded(from: payload), fast != event {
                return "fastDecoded disagrees with JSONDecoder: \(event) -> \(fast)"
            }
            guard let reference = try? referenceEncoder.encode(event) else { return "event does not encode" }
            if Array(reference) != payload {
                return "jsonPayload() differs from JSONEncoder: \(String(decoding: payload, as: UTF8.self)) vs "
                    + String(decoding: reference, as: UTF8.self)
            }
        }
        return nil
    }
}
