/// The one error type the `Meta` module throws.
///
/// `description` is safe to show anyone: it never carries a secret, a bind value or a request body.
public struct MetaError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: String, Hashable, Sendable {
            case invalidSignature
            case malformedPayload
            case graphError
            case oauthError
            case transport
            case invalidRequest
        }

        fileprivate let base: Base
        fileprivate init(_ base: Base) { self.base = base }

        /// See the module documentation for when this is thrown.
        public static var invalidSignature: Self { .init(.invalidSignature) }
        /// See the module documentation for when this is thrown.
        public static var malformedPayload: Self { .init(.malformedPayload) }
        /// See the module documentation for when this is thrown.
        public static var graphError: Self { .init(.graphError) }
        /// See the module documentation for when this is thrown.
        public static var oauthError: Self { .init(.oauthError) }
        /// See the module documentation for when this is thrown.
        public static var transport: Self { .init(.transport) }
        /// The request could not be built or was refused before sending (bad input, text over 1000 bytes).
        public static var invalidRequest: Self { .init(.invalidRequest) }

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

    /// The decoded Graph API error and its classification, for `.graphError` and `.oauthError`.
    public let graph: GraphErrorDetail?
    /// How long Meta asks us to wait before retrying (`Retry-After`, or the usage header's
    /// `estimated_time_to_regain_access`), when it says.
    public let retryAfter: Duration?

    /// Creates an error with a code and optional context.
    public init(_ code: Code, message: String? = nil, file: String = #fileID, line: Int = #line) {
        self.init(code, message: message, graph: nil, retryAfter: nil, file: file, line: line)
    }

    /// Creates an error that carries a decoded Graph API error.
    public init(
        _ code: Code, message: String?, graph: GraphErrorDetail?, retryAfter: Duration?, file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.graph = graph
        self.retryAfter = retryAfter
        self.file = file
        self.line = line
    }

    /// A one-line description without secrets.
    public var description: String {
        if let message { return "MetaError.\(code): \(message)" }
        return "MetaError.\(code)"
    }
}
