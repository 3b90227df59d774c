/// A job payload type that can read its own bytes faster than `JSONDecoder` (for instance from a parsed JSON tree),
/// for payloads decoded on every job of a busy queue.
///
/// ``JobRegistry`` calls ``decodeJobPayload(from:)`` first and uses `JSONDecoder` only when it returns `nil`, so a
/// conformance may handle just the common shapes and leave the rest, with their errors, to the decoder. Where it
/// answers, it must answer exactly as the type's `Decodable` conformance would.
///
/// ```swift
/// extension WebhookEvent: JobPayloadDecoding {
///     static func decodeJobPayload(from bytes: [UInt8]) -> WebhookEvent? { try? WebhookJSON.event(bytes) }
/// }
/// ```
public protocol JobPayloadDecoding: Decodable {
    /// The payload read from its JSON bytes, or `nil` to let `JSONDecoder` decode them.
    /// - Parameter bytes: the job's payload, as enqueued.
    /// - Returns: the payload, or `nil` to fall back.
    static func decodeJobPayload(from bytes: [UInt8]) -> Self?
}
