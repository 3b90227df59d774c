public import Foundation
public import Jobs
public import Store

/// Records a token notice for a tenant (once per kind and month, through the `notices` table's uniqueness)
/// and, when it is new, enqueues `send-notice`, which Billing's handler mails.
///
/// Kinds written here: `needs_reauth` and `refresh_failed` (the same strings as Billing's `NoticeKind`).
public struct TenantNotifier: Sendable {
    let repositories: Repositories
    let jobs: JobClient

    /// Creates a notifier.
    public init(repositories: Repositories, jobs: JobClient) {
        self.repositories = repositories
        self.jobs = jobs
    }

    /// The payload of `send-notice` (jobs/send-notice.yaml: `client_id`, `kind`, `period`).
    public struct SendNoticePayload: Codable, Sendable, Hashable {
        /// The tenant.
        public var client_id: String
        /// The notice kind, e.g. `needs_reauth`.
        public var kind: String
        /// The period, `YYYY-MM`.
        public var period: String

        /// Creates a payload.
        public init(client_id: String, kind: String, period: String) {
            self.client_id = client_id
            self.kind = kind
            self.period = period
        }
    }

    /// Records the notice and enqueues its e-mail unless it was already recorded this month.
    /// - Parameters:
    ///   - kind: `needs_reauth` or `refresh_failed`.
    ///   - tenantID: the tenant.
    ///   - details: non-secret details (integration id, account name).
    ///   - now: picks the month.
    /// - Returns: `true` when the notice is new.
    /// - Throws: a store or Redis error.
    @discardableResult
    public func notify(kind: String, tenantID: TenantID, details: [String: String], now: Date = Date()) async throws
        -> Bool
    {
        let period = Self.month(of: now)
        guard
            try await repositories.notices.recordOnce(kind: kind, period: period, details: details, tenantID: tenantID)
                != nil
        else { return false }
        try await jobs.enqueue(
            name: "send-notice",
            payload: SendNoticePayload(client_id: tenantID.description, kind: kind, period: period))
        return true
    }

    /// `YYYY-MM` of `date` in UTC.
    static func month(of date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month], from: date)
        let month = parts.month ?? 1
        return "\(parts.year ?? 1970)-" + (month < 10 ? "0\(month)" : "\(month)")
    }
}
