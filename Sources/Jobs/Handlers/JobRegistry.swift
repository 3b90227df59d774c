import Foundation

/// Maps job names to handlers. Build it at start-up, then hand it to ``JobWorker``.
///
/// ```swift
/// var registry = JobRegistry()
/// registry.register("send-notice", handler: SendNotice())
/// registry.register("ping", payload: Ping.self) { ping, context in context.logger.info("pong") }
/// try catalog.validate(handlerNames: registry.handlerNames)
/// ```
public struct JobRegistry: Sendable {
    typealias ErasedHandler = @Sendable ([UInt8], JobContext) async throws -> Void

    private(set) var handlers: [String: ErasedHandler] = [:]

    /// Creates an empty registry.
    public init() {}

    /// The names handlers are registered under.
    public var handlerNames: Set<String> { Set(handlers.keys) }

    /// Registers a handler type under a job name (a later registration replaces an earlier one).
    public mutating func register<Handler: JobHandler>(_ name: String, handler: Handler) {
        register(name, payload: Handler.Payload.self) { payload, context in
            try await handler.handle(payload, context: context)
        }
    }

    /// Registers a closure under a job name (a later registration replaces an earlier one).
    /// - Parameters:
    ///   - name: The job's catalog name.
    ///   - payload: The type the JSON payload decodes to (read by ``JobPayloadDecoding`` first when it conforms).
    ///   - body: The handler; it must honour cancellation.
    public mutating func register<Payload: Decodable & Sendable>(
        _ name: String,
        payload: Payload.Type,
        _ body: @escaping @Sendable (Payload, JobContext) async throws -> Void
    ) {
        let readsItself = Payload.self is any JobPayloadDecoding.Type
        register(
            name, payload: payload,
            reader: { bytes in
                guard readsItself, let reader = Payload.self as? any JobPayloadDecoding.Type else { return nil }
                return reader.decodeJobPayload(from: bytes) as? Payload
            }, body)
    }

    /// Registers a closure under a job name with a fast reader for its payload: `reader` runs first, and
    /// `JSONDecoder` decodes (and reports) only what it declines with `nil`. Where it answers, it must answer as
    /// `Payload`'s `Decodable` conformance would.
    /// - Parameters:
    ///   - name: The job's catalog name.
    ///   - payload: The type the JSON payload decodes to.
    ///   - reader: Reads the payload's bytes, or returns `nil` to fall back to `JSONDecoder`.
    ///   - body: The handler; it must honour cancellation.
    public mutating func register<Payload: Decodable & Sendable>(
        _ name: String,
        payload: Payload.Type,
        reader: @escaping @Sendable ([UInt8]) -> Payload?,
        _ body: @escaping @Sendable (Payload, JobContext) async throws -> Void
    ) {
        let decoder = JSONDecoder()
        handlers[name] = { bytes, context in
            let payload: Payload
            do {
                if let read = reader(bytes) {
                    payload = read
                } else {
                    payload = try decoder.decode(Payload.self, from: Data(bytes))
                }
            } catch {
                throw JobError(.payloadEncoding, message: "\(name): the payload does not decode as \(Payload.self)")
            }
            try await body(payload, context)
        }
    }

    func handler(named name: String) -> ErasedHandler? { handlers[name] }
}
