/// The one error type the `CustomTools` module throws.
///
/// `description` is safe to show anyone, the model included (a failed call's error becomes the tool result the
/// model reads): it never carries the signing secret, a URL, a request body or a response body.
public struct CustomToolsError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: String, Hashable, Sendable {
            case invalidDefinition
            case destinationRefused
            case unresolvable
            case unreachable
            case timeout
            case httpStatus
            case responseTooLarge
            case invalidResponse
            case toolReportedError
            case secretUnavailable
        }

        fileprivate let base: Base
        fileprivate init(_ base: Base) { self.base = base }

        /// A tool definition breaks a rule (name, reserved name, description, schema, URL, timeout, count).
        public static var invalidDefinition: Self { .init(.invalidDefinition) }
        /// The endpoint is not allowed: not https, or a loopback/private/link-local/reserved address (SSRF).
        public static var destinationRefused: Self { .init(.destinationRefused) }
        /// The endpoint's host name did not resolve.
        public static var unresolvable: Self { .init(.unresolvable) }
        /// The endpoint could not be reached (connection, TLS).
        public static var unreachable: Self { .init(.unreachable) }
        /// The endpoint did not answer within the tool's timeout.
        public static var timeout: Self { .init(.timeout) }
        /// The endpoint answered with a non-2xx status.
        public static var httpStatus: Self { .init(.httpStatus) }
        /// The answer was larger than the cap.
        public static var responseTooLarge: Self { .init(.responseTooLarge) }
        /// The answer was not a JSON value.
        public static var invalidResponse: Self { .init(.invalidResponse) }
        /// The endpoint answered `{"error": "…"}`.
        public static var toolReportedError: Self { .init(.toolReportedError) }
        /// The signing secret could not be opened (vault or store trouble).
        public static var secretUnavailable: Self { .init(.secretUnavailable) }

        /// The code's name, e.g. `timeout`.
        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// Context safe to show the model and log: the tool name, status, limits; never a secret or URL.
    public let message: String?
    /// The HTTP status, for ``Code/httpStatus``.
    public let status: Int?
    /// The source file that raised the error.
    public let file: String
    /// The source line that raised the error.
    public let line: Int

    /// Creates an error with a code and optional context.
    /// - Parameters:
    ///   - code: what went wrong.
    ///   - message: safe context.
    ///   - status: the HTTP status, if any.
    ///   - file: the raising file.
    ///   - line: the raising line.
    public init(_ code: Code, message: String? = nil, status: Int? = nil, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.status = status
        self.file = file
        self.line = line
    }

    /// A one-line description without secrets.
    public var description: String {
        if let message { return "CustomToolsError.\(code): \(message)" }
        return "CustomToolsError.\(code)"
    }
}
