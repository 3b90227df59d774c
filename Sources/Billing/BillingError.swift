/// The one error type the `Billing` module throws.
///
/// `description` is safe to show anyone: it never carries a secret, a bind value or a request body.
public struct BillingError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: String, Hashable, Sendable {
            case invalidPeriod
            case notFound
            case deliveryFailed
            case storageFailed
        }

        fileprivate let base: Base
        fileprivate init(_ base: Base) { self.base = base }

        /// A billing period is not of the form `YYYY-MM` (or `current`/`previous`).
        public static var invalidPeriod: Self { .init(.invalidPeriod) }
        /// The tenant or notice does not exist.
        public static var notFound: Self { .init(.notFound) }
        /// A notice e-mail could not be sent (the job retries).
        public static var deliveryFailed: Self { .init(.deliveryFailed) }
        /// Reading or writing the ledger, notices or counters failed.
        public static var storageFailed: Self { .init(.storageFailed) }

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
        if let message { return "BillingError.\(code): \(message)" }
        return "BillingError.\(code)"
    }
}
