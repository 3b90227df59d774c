/// A per-account call budget: at most `calls` calls in any `window_ms` milliseconds.
///
/// JSON: `{"calls":2,"window_ms":1000}` (Meta's Conversations API limit: "2 calls per second" per Instagram
/// professional account, Instagram Platform overview, "Rate Limiting"); `{"calls":0}` turns the limit off.
public struct CallLimit: Codable, Sendable, Equatable {
    /// Calls allowed per window; 0 or less disables the limit.
    public var calls: Int
    /// The window length in milliseconds (default 1000).
    public var windowMilliseconds: Int

    /// The Conversations API's documented limit: 2 calls per second per account.
    public static let conversations = CallLimit(calls: 2, windowMilliseconds: 1_000)

    /// Creates a limit.
    /// - Parameters:
    ///   - calls: calls allowed per window (0 disables).
    ///   - windowMilliseconds: the window length.
    public init(calls: Int, windowMilliseconds: Int = 1_000) {
        self.calls = calls
        self.windowMilliseconds = max(1, windowMilliseconds)
    }

    enum CodingKeys: String, CodingKey {
        case calls
        case windowMilliseconds = "window_ms"
    }

    /// Decodes with `window_ms` optional.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            calls: try container.decode(Int.self, forKey: .calls),
            windowMilliseconds: try container.decodeIfPresent(Int.self, forKey: .windowMilliseconds) ?? 1_000)
    }
}
