/// The one error type the `Web` module throws.
///
/// `description` is safe to show anyone: it never carries a session id, a password, a token or a form body.
/// Routes turn it into a bare status page; the detail goes to the log.
public struct WebError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: String, Hashable, Sendable {
            case templateNotFound
            case templateInvalid
            case sessionStore
            case badRequest
            case internalError
        }

        fileprivate let base: Base
        fileprivate init(_ base: Base) { self.base = base }

        /// A page was rendered with a template name no renderer knows.
        public static var templateNotFound: Self { .init(.templateNotFound) }
        /// A template did not parse.
        public static var templateInvalid: Self { .init(.templateInvalid) }
        /// The session store could not read or write a session (Redis trouble).
        public static var sessionStore: Self { .init(.sessionStore) }
        /// The request was malformed (a form that does not parse, a body too large).
        public static var badRequest: Self { .init(.badRequest) }
        /// Something that should not happen happened.
        public static var internalError: Self { .init(.internalError) }

        /// The code's name, e.g. `templateNotFound`.
        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// Context safe to log: the operation and the underlying error's safe description.
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
        if let message { return "WebError.\(code): \(message)" }
        return "WebError.\(code)"
    }
}
