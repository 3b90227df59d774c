/// The one error type the `Redis` module throws.
///
/// `description` is safe to show anyone: it never carries a secret, a bind value or a request body.
public struct RedisError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: String, Hashable, Sendable {
            case connectionFailed
            case connectionClosed
            case timeout
            case protocolError
            case serverError
            case scriptFailed
            case poolClosed
            case invalidURL
            case unexpectedReply
            case notReplicated
        }

        fileprivate let base: Base
        fileprivate init(_ base: Base) { self.base = base }

        /// See the module documentation for when this is thrown.
        public static var connectionFailed: Self { .init(.connectionFailed) }
        /// See the module documentation for when this is thrown.
        public static var connectionClosed: Self { .init(.connectionClosed) }
        /// See the module documentation for when this is thrown.
        public static var timeout: Self { .init(.timeout) }
        /// See the module documentation for when this is thrown.
        public static var protocolError: Self { .init(.protocolError) }
        /// See the module documentation for when this is thrown.
        public static var serverError: Self { .init(.serverError) }
        /// See the module documentation for when this is thrown.
        public static var scriptFailed: Self { .init(.scriptFailed) }
        /// See the module documentation for when this is thrown.
        public static var poolClosed: Self { .init(.poolClosed) }
        /// See the module documentation for when this is thrown.
        public static var invalidURL: Self { .init(.invalidURL) }
        /// See the module documentation for when this is thrown.
        public static var unexpectedReply: Self { .init(.unexpectedReply) }
        /// A durable write (``RedisDurability``) was not acknowledged by enough replicas in time; the
        /// write itself is on the master.
        public static var notReplicated: Self { .init(.notReplicated) }

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
        if let message { return "RedisError.\(code): \(message)" }
        return "RedisError.\(code)"
    }
}
