import Foundation
public import HTTP
public import Logging
public import Postgres
public import Store

/// Sends one recorded notice by e-mail (the `send-notice` job) and marks it sent, so a re-run sends nothing.
///
/// Without SMTP configured the notice stays on the tenant's page only and is marked sent with no mail.
/// The recipient is the tenant's `contact_email` persona setting (the schema has no contact column yet).
public struct NoticeMailer: Sendable {
    /// Where and as whom notices are mailed.
    public struct Configuration: Sendable {
        /// The SMTP server, or nil to disable e-mail.
        public var smtp: SMTPConfiguration?
        /// The sender address, e.g. `relay@example.com`.
        public var from: String
        /// The persona setting holding the tenant's address.
        public var recipientSetting: String

        /// Creates a configuration.
        public init(smtp: SMTPConfiguration?, from: String, recipientSetting: String = "contact_email") {
            self.smtp = smtp
            self.from = from
            self.recipientSetting = recipientSetting
        }
    }

    let configuration: Configuration
    let http: HTTPClient
    let repositories: Repositories
    let pool: PostgresPool
    let logger: Logger

    /// Creates a mailer.
    public init(
        configuration: Configuration, http: HTTPClient, repositories: Repositories, pool: PostgresPool,
        logger: Logger
    ) {
        self.configuration = configuration
        self.http = http
        self.repositories = repositories
        self.pool = pool
        self.logger = logger
    }

    /// What ``send(tenantID:kind:period:)`` did.
    public enum Result: String, Sendable, Equatable {
        /// The e-mail was handed to the SMTP server.
        case sent
        /// It had been sent before (a re-run).
        case alreadySent = "already_sent"
        /// No SMTP server or no recipient: shown on the page only.
        case notMailed = "not_mailed"
        /// No such notice.
        case missing
    }

    /// Sends the notice `kind` of `period` to the tenant, once.
    /// - Returns: what happened.
    /// - Throws: ``BillingError`` `.deliveryFailed` when the SMTP server refuses (the job retries), store errors.
    @discardableResult
    public func send(tenantID: TenantID, kind: NoticeKind, period: String) async throws -> Result {
        let rows = try await pool.query(
            """
            SELECT id, sent_at IS NOT NULL FROM notices
            WHERE client_id = \(tenantID.rawValue) AND kind = \(kind.rawValue) AND period = \(period)
            """)
        guard let row = rows.first else { return .missing }
        let (noticeID, isSent) = try row.decode((UUID, Bool).self)
        if isSent { return .alreadySent }
        guard let tenant = try await repositories.tenants.find(tenantID) else { return .missing }
        let recipient = tenant.persona.settings[configuration.recipientSetting]
        guard let smtp = configuration.smtp, let recipient, !recipient.isEmpty else {
            try await repositories.notices.markSent(tenantID: tenantID, noticeID: noticeID)
            return .notMailed
        }
        let message = MailMessage(
            from: configuration.from, fromName: "Woodstock Relay", to: [recipient], subject: kind.subject,
            body: kind.body(tenantName: tenant.name, period: period))
        do {
            try await http.sendMail(message, using: smtp)
        } catch {
            throw BillingError(.deliveryFailed, message: "notice \(kind.rawValue) for \(tenantID): \(error)")
        }
        try await repositories.notices.markSent(tenantID: tenantID, noticeID: noticeID)
        logger.info("notice sent", metadata: ["tenant.id": "\(tenantID)", "notice.kind": "\(kind.rawValue)"])
        return .sent
    }
}
