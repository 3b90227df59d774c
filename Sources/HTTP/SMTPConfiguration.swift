/// Where and how ``HTTPClient/sendMail(_:using:)`` delivers mail.
///
/// `description` never shows the password.
public struct SMTPConfiguration: Sendable, CustomStringConvertible {
    /// How the connection is protected.
    public enum Security: Sendable {
        /// `STARTTLS` is required (or the URL is `smtps://`); a server without it is an error. The default.
        case requireTLS
        /// Plain text. Only for a sink on loopback in development and tests.
        case none
    }

    /// `smtp://host:587` (STARTTLS) or `smtps://host:465` (implicit TLS).
    public var url: String
    /// The login name, if the server needs one.
    public var username: String?
    /// The password, if the server needs one. Never printed.
    public var password: String?
    /// Transport security; `.requireTLS` by default. Certificates are always verified.
    public var security: Security
    /// Total time allowed for one message. Default 30 s.
    public var timeout: Duration

    /// Creates a configuration.
    /// - Parameters:
    ///   - url: the server URL.
    ///   - username: the login name.
    ///   - password: the password.
    ///   - security: TLS requirement.
    ///   - timeout: total time per message.
    public init(
        url: String, username: String? = nil, password: String? = nil, security: Security = .requireTLS,
        timeout: Duration = .seconds(30)
    ) {
        self.url = url
        self.username = username
        self.password = password
        self.security = security
        self.timeout = timeout
    }

    /// The URL and user name; the password is shown as `********` when set.
    public var description: String {
        let user = username.map { " user \($0)" } ?? ""
        let secret = password == nil ? "" : " password ********"
        return "SMTP \(URLRedaction.withoutQuery(url))\(user)\(secret)"
    }
}
