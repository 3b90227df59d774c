/// The one error type the `Jobs` module throws.
///
/// `description` is safe to show anyone: it never carries a secret, a bind value or a request body.
public struct JobError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: String, Hashable, Sendable {
            case unknownJob
            case invalidCatalog
            case invalidCrontab
            case payloadEncoding
            case handlerFailed
            case timedOut
        }

        fileprivate let base: Base
        fileprivate init(_ base: Base) { self.base = base }

        /// See the module documentation for when this is thrown.
        public static var unknownJob: Self { .init(.unknownJob) }
        /// See the module documentation for when this is thrown.
        public static var invalidCatalog: Self { .init(.invalidCatalog) }
        /// See the module documentation for when this is thrown.
        public static var invalidCrontab: Self { .init(.invalidCrontab) }
        /// See the module documentation for when this is thrown.
        public static var payloadEncoding: Self { .init(.payloadEncoding) }
        /// See the module documentation for when this is thrown.
        public static var handlerFailed: Self { .init(.handlerFailed) }
        /// See the module documentation for when this is thrown.
        public static var timedOut: Self { .init(.timedOut) }

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
        if let message { return "JobError.\(code): \(message)" }
        return "JobError.\(code)"
    }
}
