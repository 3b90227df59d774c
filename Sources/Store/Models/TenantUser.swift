public import Foundation

/// A person who logs in to one tenant's page (`tenant_users` row). The password hash never leaves the
/// repository in a description.
public struct TenantUser: Sendable, Equatable, CustomStringConvertible {
    /// The id.
    public let id: UUID
    /// The tenant this login belongs to (a session of this user sees only this tenant).
    public let tenantID: TenantID
    /// The login e-mail, lowercased.
    public let email: String
    /// The stored password hash (PHC-style string), or `nil` for magic-link-only logins.
    public var passwordHash: String?
    /// When the user was created.
    public let createdAt: Date
    /// The last successful login.
    public var lastLoginAt: Date?

    /// Creates a value (rows come from ``TenantUserRepository``).
    public init(
        id: UUID, tenantID: TenantID, email: String, passwordHash: String?, createdAt: Date, lastLoginAt: Date?
    ) {
        self.id = id
        self.tenantID = tenantID
        self.email = email
        self.passwordHash = passwordHash
        self.createdAt = createdAt
        self.lastLoginAt = lastLoginAt
    }

    /// `tenant-user <id> <email> (tenant <id>)`, without the hash.
    public var description: String { "tenant-user \(id) \(email) (tenant \(tenantID))" }

    /// Lowercases and trims an e-mail address; `nil` when it does not look like one (`x@y`).
    public static func normalizedEmail(_ text: String) -> String? {
        let email = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard email.count >= 3, email.count <= 254, !email.contains(where: \.isWhitespace) else { return nil }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return email
    }
}
