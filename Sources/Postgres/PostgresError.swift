/// The one error type the `Postgres` module throws.
///
/// `description` is safe to show anyone: it never carries a secret, a bind value or a request body.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: String, Hashable, Sendable {
            case connectionFailed
            case connectionClosed
            case queryFailed
            case invalidURL
            case decodingFailed
            case poolClosed
            case timeout
            case cancelled
        }

        fileprivate let base: Base
        fileprivate init(_ base: Base) { self.base = base }

        /// See the module documentation for when this is thrown.
        public static var connectionFailed: Self { .init(.connectionFailed) }
        /// See the module documentation for when this is thrown.
        public static var connectionClosed: Self { .init(.connectionClosed) }
        /// See the module documentation for when this is thrown.
        public static var queryFailed: Self { .init(.queryFailed) }
        /// See the module documentation for when this is thrown.
        public static var invalidURL: Self { .init(.invalidURL) }
        /// See the module documentation for when this is thrown.
        public static var decodingFailed: Self { .init(.decodingFailed) }
        /// See the module documentation for when this is thrown.
        public static var poolClosed: Self { .init(.poolClosed) }
        /// See the module documentation for when this is thrown.
        public static var timeout: Self { .init(.timeout) }

        /// The statement was cancelled because its task was cancelled.
        public static var cancelled: Self { .init(.cancelled) }

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
    /// The server's five-character SQLSTATE (e.g. `23505`), when the server reported the error.
    public let sqlState: String?
    /// The constraint the server named (unique, foreign key, check), if any.
    public let constraintName: String?

    /// Creates an error with a code and optional context.
    public init(
        _ code: Code, message: String? = nil, sqlState: String? = nil, constraintName: String? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.constraintName = constraintName
        self.file = file
        self.line = line
    }

    /// Whether the server refused a duplicate key (SQLSTATE 23505).
    public var isUniqueViolation: Bool { sqlState == "23505" }
    /// Whether a foreign key was violated (SQLSTATE 23503).
    public var isForeignKeyViolation: Bool { sqlState == "23503" }
    /// Whether a check constraint was violated (SQLSTATE 23514).
    public var isCheckViolation: Bool { sqlState == "23514" }

    /// A one-line description without secrets.
    public var description: String {
        let state = sqlState.map { " [SQLSTATE \($0)]" } ?? ""
        if let message { return "PostgresError.\(code)\(state): \(message)" }
        return "PostgresError.\(code)\(state)"
    }
}
