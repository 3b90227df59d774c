public import Foundation

/// One job to enqueue: its type, JSON payload and options.
public struct JobRequest: Sendable, Hashable {
    /// The job type, as declared in the catalog.
    public var name: String
    /// The payload as JSON bytes (an object).
    public var payloadJSON: [UInt8]
    /// Drops this job if another with the same key was enqueued within the definition's `uniqueFor`;
    /// `nil` uses the definition's unique-key template (if any).
    public var uniqueKey: String?
    /// The fairness group; `nil` uses the definition's group template (if any).
    public var group: String?
    /// When to run it; `nil` or a past date means now.
    public var runAt: Date?
    /// How long the unique key blocks duplicates; `nil` uses the definition's `uniqueFor`.
    public var uniqueFor: Duration?

    /// Creates a request from a JSON payload.
    public init(name: String, payloadJSON: [UInt8], uniqueKey: String? = nil, group: String? = nil, runAt: Date? = nil)
    {
        self.name = name
        self.payloadJSON = payloadJSON
        self.uniqueKey = uniqueKey
        self.group = group
        self.runAt = runAt
    }

    private static let encoder = JSONEncoder()

    /// Creates a request by encoding `payload` as JSON.
    /// - Throws: ``JobError`` `.payloadEncoding` when the payload cannot be encoded.
    public init(
        name: String,
        payload: some Encodable,
        uniqueKey: String? = nil,
        group: String? = nil,
        runAt: Date? = nil
    ) throws {
        let json: Data
        do {
            json = try Self.encoder.encode(payload)
        } catch {
            throw JobError(.payloadEncoding, message: "\(name): cannot encode the payload as JSON")
        }
        self.init(name: name, payloadJSON: Array(json), uniqueKey: uniqueKey, group: group, runAt: runAt)
    }
}

/// What an enqueue did.
public enum EnqueueOutcome: Sendable, Hashable {
    /// The job was enqueued under this ID.
    case enqueued(id: String)
    /// A job with the same unique key was enqueued within its TTL; nothing was enqueued.
    case duplicate

    /// The job ID, or `nil` for a duplicate.
    public var jobID: String? {
        if case .enqueued(let id) = self { return id }
        return nil
    }
}
