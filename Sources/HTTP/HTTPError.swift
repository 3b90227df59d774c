/// The one error type the `HTTP` module throws.
///
/// `description` is safe to show anyone: it never carries a secret, a bind value or a request body.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: String, Hashable, Sendable {
            case transport
            case timeout
            case invalidRequest
            case cancelled
            case clientShutdown
            case responseTooLarge
        }

        fileprivate let base: Base
        fileprivate init(_ base: Base) { self.base = base }

        /// See the module documentation for when this is thrown.
        public static var transport: Self { .init(.transport) }
        /// See the module documentation for when this is thrown.
        public static var timeout: Self { .init(.timeout) }
        /// See the module documentation for when this is thrown.
        public static var invalidRequest: Self { .init(.invalidRequest) }
        /// See the module documentation for when this is thrown.
        public static var cancelled: Self { .init(.cancelled) }
        /// See the module documentation for when this is thrown.
        public static var clientShutdown: Self { .init(.clientShutdown) }
        /// The response body exceeded ``HTTPClientConfiguration/maxResponseBytes``.
        public static var responseTooLarge: Self { .init(.responseTooLarge) }

        /// The code's name, e.g. `connectionClosed`.
        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// Context safe to log: the operation and the library's own error text.
    public let message: String?
    /// The source file that raised the error.
    public let file: String
    /// The source line that raised the error.
    public let line: Int

    /// Creates an error with a code and optional context.
    public init(_ code: Code, message: String? = nil, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    /// A one-line description without secrets.
    public var description: String {
        if let message { return "HTTPError.\(code): \(message)" }
        return "HTTPError.\(code)"
    }
}
