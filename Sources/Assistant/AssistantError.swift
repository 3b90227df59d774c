/// The one error type the `Assistant` module throws.
///
/// `description` is safe to show anyone: it never carries a secret, a bind value or a request body.
/// Use ``isRetryable`` and ``retryAfter`` to decide on a retry (META.md §5): rate limits (429, not quota), 408,
/// 409, 5xx and transport failures are retryable; 400, 401, 403, 404 and `insufficient_quota` are not.
public struct AssistantError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: String, Hashable, Sendable {
            case transport
            case apiError
            case malformedResponse
            case toolLoopExceeded
            case rateLimited
            case insufficientQuota
            case invalidConfiguration
        }

        fileprivate let base: Base
        fileprivate init(_ base: Base) { self.base = base }

        /// The LLM could not be reached or timed out. Retryable.
        public static var transport: Self { .init(.transport) }
        /// The API answered with an error status (see ``AssistantError/status``).
        public static var apiError: Self { .init(.apiError) }
        /// The answer was not a chat completion we could read.
        public static var malformedResponse: Self { .init(.malformedResponse) }
        /// The model kept calling tools beyond the round limit.
        public static var toolLoopExceeded: Self { .init(.toolLoopExceeded) }
        /// 429 rate limit. Retryable after ``AssistantError/retryAfter``.
        public static var rateLimited: Self { .init(.rateLimited) }
        /// 429 `insufficient_quota`: billing, not load. Not retryable.
        public static var insufficientQuota: Self { .init(.insufficientQuota) }
        /// The configuration is unusable (no API key). Not retryable.
        public static var invalidConfiguration: Self { .init(.invalidConfiguration) }

        /// The code's name, e.g. `rateLimited`.
        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// Context safe to log: the operation, the HTTP status and the API's error type and message.
    public let message: String?
    /// The HTTP status, for API errors.
    public let status: Int?
    /// Whether the same request may succeed later.
    public let isRetryable: Bool
    /// How long the API asked us to wait (`Retry-After`, `retry-after-ms`, `x-ratelimit-reset-requests`).
    public let retryAfter: Duration?
    /// The source file that raised the error.
    public let file: String
    /// The source line that raised the error.
    public let line: Int

    /// Creates an error with a code and optional context.
    public init(
        _ code: Code, message: String? = nil, status: Int? = nil, isRetryable: Bool = false,
        retryAfter: Duration? = nil, file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.status = status
        self.isRetryable = isRetryable
        self.retryAfter = retryAfter
        self.file = file
        self.line = line
    }

    /// A one-line description without secrets.
    public var description: String {
        if let message { return "AssistantError.\(code): \(message)" }
        return "AssistantError.\(code)"
    }
}
