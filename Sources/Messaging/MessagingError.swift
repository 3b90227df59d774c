/// The one error type the `Messaging` module throws.
///
/// `description` is safe to show anyone: it never carries a secret, a token or message text.
public struct MessagingError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: String, Hashable, Sendable {
            case invalidPayload
            case retryableSendFailure
            case retryableAssistantFailure
            case echoNotYetResolved
            case dependencyFailed
        }

        fileprivate let base: Base
        fileprivate init(_ base: Base) { self.base = base }

        /// The job payload is not a normalized webhook event (not retried: a re-run cannot fix it).
        public static var invalidPayload: Self { .init(.invalidPayload) }
        /// The Graph API send failed in a way a later retry can fix (rate limit, 5xx, timeout).
        public static var retryableSendFailure: Self { .init(.retryableSendFailure) }
        /// The assistant (LLM) failed in a way a later retry can fix (429, 5xx, timeout).
        public static var retryableAssistantFailure: Self { .init(.retryableAssistantFailure) }
        /// An echo arrived while one of our sends to the same customer had no recorded outcome yet;
        /// retried so it is matched after the send is recorded.
        public static var echoNotYetResolved: Self { .init(.echoNotYetResolved) }
        /// Storage, the vault or Redis failed (retried by the engine).
        public static var dependencyFailed: Self { .init(.dependencyFailed) }

        /// The code's name, e.g. `retryableSendFailure`.
        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// Context safe to log: the operation and ids, never message text or tokens.
    public let message: String?
    /// How long to wait before retrying, when the remote side said (`Retry-After`).
    public let retryAfter: Duration?
    /// The source file that raised the error.
    public let file: String
    /// The source line that raised the error.
    public let line: Int

    /// Creates an error with a code and optional context.
    public init(
        _ code: Code, message: String? = nil, retryAfter: Duration? = nil, file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
        self.file = file
        self.line = line
    }

    /// A one-line description without secrets.
    public var description: String {
        if let message { return "MessagingError.\(code): \(message)" }
        return "MessagingError.\(code)"
    }
}
