public import Jobs
public import Store

/// Raises a notice: records it once per tenant, kind and period (the `notices` table's uniqueness) and, when
/// it is new, enqueues `send-notice` to mail it. Safe to call from any number of workers at once.
///
/// ```swift
/// let raiser = NoticeRaiser(repositories: repositories, jobs: jobs)
/// if decision.crossed(percent: 80) { try await raiser.raise(.usage80, tenantID: tenant, period: "\(decision.period)") }
/// ```
public struct NoticeRaiser: Sendable {
    let repositories: Repositories
    let jobs: JobClient

    /// Creates a raiser.
    public init(repositories: Repositories, jobs: JobClient) {
        self.repositories = repositories
        self.jobs = jobs
    }

    /// The `send-notice` payload (jobs/send-notice.yaml).
    public struct Payload: Codable, Sendable, Hashable {
        /// The tenant.
        public var client_id: String
        /// The ``NoticeKind`` raw value.
        public var kind: String
        /// `YYYY-MM`.
        public var period: String

        /// Creates a payload.
        public init(client_id: String, kind: String, period: String) {
            self.client_id = client_id
            self.kind = kind
            self.period = period
        }
    }

    /// Records the notice and enqueues its e-mail, unless it was raised before for this period.
    /// - Parameters:
    ///   - kind: the cause.
    ///   - tenantID: the tenant.
    ///   - period: `YYYY-MM`.
    ///   - details: non-secret details shown with the notice.
    /// - Returns: `true` when the notice is new.
    /// - Throws: a store or Redis error.
    @discardableResult
    public func raise(
        _ kind: NoticeKind, tenantID: TenantID, period: String, details: [String: String] = [:]
    ) async throws -> Bool {
        guard
            try await repositories.notices.recordOnce(
                kind: kind.rawValue, period: period, details: details, tenantID: tenantID) != nil
        else { return false }
        try await jobs.enqueue(
            name: "send-notice", payload: Payload(client_id: tenantID.description, kind: kind.rawValue, period: period))
        return true
    }
}
