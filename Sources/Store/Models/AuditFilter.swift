public import Foundation

/// Which audit rows the operator wants to see; every part is optional and they combine with AND.
public struct AuditFilter: Sendable, Equatable {
    /// Only rows whose actor starts with this (`admin`, `tenant:`), or `nil`.
    public var actorPrefix: String?
    /// Only rows whose action starts with this (`admin.dead`, `token.`), or `nil`.
    public var actionPrefix: String?
    /// Only this tenant's rows, or `nil` for all (including system-wide rows).
    public var tenantID: TenantID?
    /// Only rows at or after this time, or `nil`.
    public var since: Date?
    /// Only rows with an id below this (the next page), or `nil` for the newest.
    public var beforeID: Int64?
    /// At most this many rows (1…500).
    public var limit: Int

    /// Creates a filter.
    public init(
        actorPrefix: String? = nil, actionPrefix: String? = nil, tenantID: TenantID? = nil, since: Date? = nil,
        beforeID: Int64? = nil, limit: Int = 100
    ) {
        self.actorPrefix = actorPrefix
        self.actionPrefix = actionPrefix
        self.tenantID = tenantID
        self.since = since
        self.beforeID = beforeID
        self.limit = limit
    }
}

/// One audit row with its id (for paging).
public struct AuditRecord: Sendable, Equatable {
    /// The row's id (increasing with time).
    public let id: Int64
    /// The event.
    public let entry: AuditEntry

    /// Creates a record.
    public init(id: Int64, entry: AuditEntry) {
        self.id = id
        self.entry = entry
    }
}
