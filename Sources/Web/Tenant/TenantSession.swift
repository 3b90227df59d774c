public import Foundation
public import Store

/// A signed-in tenant session: subject `tenant:<tenant id>`, with the login's id and e-mail as attributes.
/// The tenant id here is the only one any tenant page or API uses.
public struct TenantSession: Sendable {
    /// The session.
    public let session: WebSession
    /// The tenant the session belongs to.
    public let tenantID: TenantID
    /// The tenant user.
    public let userID: UUID
    /// The user's e-mail (shown in the header and used as the audit actor).
    public let email: String

    /// The subject of a tenant's session.
    /// - Parameter tenantID: the tenant.
    /// - Returns: `tenant:<id>`.
    public static func subject(_ tenantID: TenantID) -> String { "tenant:\(tenantID)" }

    /// The session attributes of a signed-in user.
    /// - Parameter user: the user.
    /// - Returns: the attributes.
    public static func attributes(_ user: TenantUser) -> [String: String] {
        ["user": user.id.uuidString.lowercased(), "email": user.email]
    }

    /// Reads a tenant session; `nil` for an anonymous, admin or malformed session.
    /// - Parameter session: the session.
    public init?(_ session: WebSession) {
        guard session.subject.hasPrefix("tenant:"), let tenantID = TenantID(String(session.subject.dropFirst(7))),
            let user = session.attributes["user"].flatMap(UUID.init(uuidString:)),
            let email = session.attributes["email"]
        else { return nil }
        self.session = session
        self.tenantID = tenantID
        self.userID = user
        self.email = email
    }
}
