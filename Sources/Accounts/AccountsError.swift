/// The one error type the `Accounts` module throws.
///
/// `description` is safe to show anyone: it never carries a secret, a bind value or a request body.
public struct AccountsError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: String, Hashable, Sendable {
            case invalidState
            case expiredState
            case replayedState
            case oauthDenied
            case missingScope
            case accountTaken
            case exchangeFailed
            case tokenRevoked
            case transient
            case notFound
            case misconfigured
        }

        fileprivate let base: Base
        fileprivate init(_ base: Base) { self.base = base }

        /// The OAuth `state` is missing, malformed or not signed by us.
        public static var invalidState: Self { .init(.invalidState) }
        /// The OAuth `state` is older than its lifetime.
        public static var expiredState: Self { .init(.expiredState) }
        /// The OAuth `state` was already used (or never issued by this deployment).
        public static var replayedState: Self { .init(.replayedState) }
        /// Meta redirected back with `error=` (the user denied, or Meta refused).
        public static var oauthDenied: Self { .init(.oauthDenied) }
        /// The user unticked a permission the relay needs.
        public static var missingScope: Self { .init(.missingScope) }
        /// The Instagram account or Page is already connected to another tenant.
        public static var accountTaken: Self { .init(.accountTaken) }
        /// Meta refused a code or token exchange, or answered something unusable.
        public static var exchangeFailed: Self { .init(.exchangeFailed) }
        /// Meta answered 190 (or another non-retryable token error): the tenant must reconnect.
        public static var tokenRevoked: Self { .init(.tokenRevoked) }
        /// A temporary failure (5xx, rate limit, network); the job may retry.
        public static var transient: Self { .init(.transient) }
        /// The integration or tenant does not exist.
        public static var notFound: Self { .init(.notFound) }
        /// A setting the operation needs is missing (app id, secret, redirect URI).
        public static var misconfigured: Self { .init(.misconfigured) }

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
        if let message { return "AccountsError.\(code): \(message)" }
        return "AccountsError.\(code)"
    }
}
