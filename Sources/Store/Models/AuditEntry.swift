public import Foundation

/// One security-relevant event for the append-only `audit_log`. Details must never hold a secret.
public struct AuditEntry: Sendable, Equatable {
    /// Who did it: `cli:<user>`, `system:rotate-keys`, `admin:<email>`, `tenant:<id>`.
    public let actor: String
    /// The tenant concerned, or `nil` for system-wide events (key rotation).
    public let tenantID: TenantID?
    /// What happened, dotted: `tenant.created`, `key.rotated`.
    public let action: String
    /// Non-secret details (ids, tiers, counts).
    public let details: [String: String]
    /// When it happened (set by the database on insert).
    public let occurredAt: Date?

    /// Creates an entry to record.
    public init(actor: String, tenantID: TenantID?, action: String, details: [String: String] = [:]) {
        self.actor = actor
        self.tenantID = tenantID
        self.action = action
        self.details = details
        self.occurredAt = nil
    }

    init(actor: String, tenantID: TenantID?, action: String, details: [String: String], occurredAt: Date) {
        self.actor = actor
        self.tenantID = tenantID
        self.action = action
        self.details = details
        self.occurredAt = occurredAt
    }
}
