import Foundation
import HTTPTypes
public import Hummingbird

/// The session cookie: `HttpOnly`, `SameSite=Strict`, scoped to a path, and `Secure` when the site is
/// served over TLS.
///
/// ```swift
/// let cookie = SessionCookie(name: "woodstock_admin", path: "/admin", security: .fromRequest)
/// var response = PageResponse.redirect(to: "/admin")
/// response.setCookie(cookie.cookie(for: session, request: request))
/// ```
public struct SessionCookie: Sendable {
    /// When the cookie gets the `Secure` attribute.
    public struct Security: Sendable, Hashable {
        fileprivate enum Base: Hashable { case always, never, fromRequest }
        fileprivate let base: Base

        /// Always `Secure` (the site is only reachable over TLS).
        public static var always: Self { .init(base: .always) }
        /// Never `Secure` (plain-HTTP development only).
        public static var never: Self { .init(base: .never) }
        /// `Secure` when the request came over TLS: `X-Forwarded-Proto: https` from the TLS-terminating proxy,
        /// or an `https` scheme.
        public static var fromRequest: Self { .init(base: .fromRequest) }
    }

    /// The cookie's name.
    public let name: String
    /// The path the browser sends it for.
    public let path: String
    /// When it is `Secure`.
    public let security: Security

    /// Creates the cookie policy.
    /// - Parameters:
    ///   - name: The cookie's name (letters, digits, `_`).
    ///   - path: The path it is scoped to (`/admin`).
    ///   - security: When to mark it `Secure` (``Security/fromRequest`` unless given).
    public init(name: String, path: String = "/", security: Security = .fromRequest) {
        self.name = name
        self.path = path
        self.security = security
    }

    /// The session id the request carries, if any (untrusted: look it up in the ``SessionStore``).
    /// - Parameter request: The request.
    /// - Returns: The cookie's value, or `nil`.
    public func sessionID(in request: Request) -> String? {
        guard let value = request.cookies[name]?.value, !value.isEmpty else { return nil }
        return value
    }

    /// Whether the request came over TLS (directly or through a proxy that says so).
    /// - Parameter request: The request.
    /// - Returns: `true` for `X-Forwarded-Proto: https` or an `https` scheme.
    public func isTLS(_ request: Request) -> Bool {
        if let proto = HTTPField.Name("X-Forwarded-Proto"), let value = request.headers[proto] {
            return value.split(separator: ",").first?.trimmingCharacters(in: CharacterSet.whitespaces).lowercased()
                == "https"
        }
        return request.head.scheme?.lowercased() == "https"
    }

    /// The `Set-Cookie` value that stores the session in the browser (until the browser closes).
    /// - Parameters:
    ///   - session: The session.
    ///   - request: The request being answered (decides `Secure` under ``Security/fromRequest``).
    /// - Returns: The cookie.
    public func cookie(for session: WebSession, request: Request) -> Cookie {
        Cookie(
            name: name, value: session.id, path: path, secure: isSecure(request), httpOnly: true, sameSite: .strict)
    }

    /// A `Set-Cookie` value that removes the cookie (sign-out).
    /// - Parameter request: The request being answered.
    /// - Returns: The expired cookie.
    public func expiredCookie(request: Request) -> Cookie {
        Cookie(
            name: name, value: "", maxAge: 0, path: path, secure: isSecure(request), httpOnly: true, sameSite: .strict)
    }

    private func isSecure(_ request: Request) -> Bool {
        switch security.base {
        case .always: return true
        case .never: return false
        case .fromRequest: return isTLS(request)
        }
    }
}
