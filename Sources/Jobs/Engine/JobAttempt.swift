public import Foundation

/// One failed run of a job, kept in its history (the last few) and shown for dead jobs.
public struct JobAttempt: Sendable, Hashable, Codable {
    /// Which run failed (1 for the first run).
    public var attempt: Int
    /// When it failed.
    public var failedAt: Date
    /// The error, as the handler's error described itself (handlers must not put secrets in errors).
    public var error: String

    /// Creates a history entry.
    public init(attempt: Int, failedAt: Date, error: String) {
        self.attempt = attempt
        self.failedAt = failedAt
        self.error = error
    }

    private enum CodingKeys: String, CodingKey {
        case attempt = "n"
        case failedAt = "at"
        case error = "e"
    }

    /// Decodes `{"n": attempt, "at": milliseconds, "e": error}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        attempt = try container.decode(Int.self, forKey: .attempt)
        failedAt = Date(timeIntervalSince1970: Double(try container.decode(Int64.self, forKey: .failedAt)) / 1000)
        error = try container.decode(String.self, forKey: .error)
    }

    /// Encodes `{"n": attempt, "at": milliseconds, "e": error}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(attempt, forKey: .attempt)
        try container.encode(Int64((failedAt.timeIntervalSince1970 * 1000).rounded()), forKey: .failedAt)
        try container.encode(error, forKey: .error)
    }
}
