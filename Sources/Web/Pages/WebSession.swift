public import Foundation

/// A signed-in (or not yet signed-in) browser session, as ``SessionStore`` keeps it in Redis.
///
/// The ``id`` is the cookie value: a bearer secret. Never log it, put it in a URL or show it on a page.
public struct WebSession: Sendable, Codable, Equatable {
    /// The subject of a session that has not signed in yet (it exists to carry the login form's CSRF token).
    public static let anonymousSubject = "anonymous"

    /// The random 256-bit id, base64url (43 characters). Secret.
    public let id: String
    /// Who the session belongs to: `admin`, `tenant:<uuid>`, or ``anonymousSubject``.
    public let subject: String
    /// The per-session CSRF token every POST form must echo (see ``CSRFToken``).
    public let csrfToken: String
    /// When the session was created.
    public let createdAt: Date
    /// When the session stops being valid (enforced by the store, and by Redis' key expiry).
    public let expiresAt: Date
    /// Small non-secret values (a display name, the tenant's id).
    public var attributes: [String: String]

    /// Creates a session value (the store does).
    public init(
        id: String, subject: String, csrfToken: String, createdAt: Date, expiresAt: Date,
        attributes: [String: String] = [:]
    ) {
        self.id = id
        self.subject = subject
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.attributes = attributes
    }

    /// `true` for a session that has not signed in.
    public var isAnonymous: Bool { subject == Self.anonymousSubject }

    /// Whether the session has expired at `date`.
    /// - Parameter date: The moment to check.
    /// - Returns: `true` from ``expiresAt`` on.
    public func isExpired(at date: Date) -> Bool { date >= expiresAt }
}
