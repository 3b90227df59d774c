/// The one error type the `Store` module throws.
///
/// `description` is safe to show anyone: it never carries a secret, a bind value or a request body.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: String, Hashable, Sendable {
            case notFound
            case conflict
            case migrationFailed
            case invalidValue
        }

        fileprivate let base: Base
        fileprivate init(_ base: Base) { self.base = base }

        /// See the module documentation for when this is thrown.
        public static var notFound: Self { .init(.notFound) }
        /// See the module documentation for when this is thrown.
        public static var conflict: Self { .init(.conflict) }
        /// See the module documentation for when this is thrown.
        public static var migrationFailed: Self { .init(.migrationFailed) }
        /// See the module documentation for when this is thrown.
        public static var invalidValue: Self { .init(.invalidValue) }

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
        if let message { return "StoreError.\(code): \(message)" }
        return "StoreError.\(code)"
    }
}
