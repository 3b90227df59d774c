import Foundation
public import HTTP
public import Logging
public import Postgres
public import Store

/// Sends one recorded notice by e-mail (the `send-notice` job) and marks it sent, so a re-run sends nothing.
///
/// Without SMTP configured the notice stays on the tenant's page only and is marked sent with no mail.
/// The recipient is the tenant's ``Tenant/email`` (when ``Tenant/noticeEmailEnabled``), or, for tenants created
/// before that column, the `contact_email` persona setting; an optional operator copy goes to
/// ``Configuration/operatorCopy`` as a separate message (best effort: its failure is logged, not retried, so
/// the tenant never gets a notice twice).
public struct NoticeMailer: Sendable {
    /// Where and as whom notices are mailed.
    public struct Configuration: Sendable {
        /// The SMTP server, or nil to disable e-mail.
        public var smtp: SMTPConfiguration?
        /// The sender address, e.g. `relay@example.com`.
        public var from: String
        /// The persona setting read when the tenant has no ``Tenant/email`` (older tenants).
        public var recipientSetting: String
        /// An operator address that receives a copy of every notice, or `nil`.
        public var operatorCopy: String?

        /// Creates a configuration.
        public init(
            smtp: SMTPConfiguration?, from: String, recipientSetting: String = "contact_email",
            operatorCopy: String? = nil
        ) {
            self.smtp = smtp
            self.from = from
            self.recipientSetting = recipientSetting
            self.operatorCopy = operatorCopy
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
        let recipient = Self.recipient(of: tenant, setting: configuration.recipientSetting)
        let operatorCopy = configuration.operatorCopy.flatMap { $0.isEmpty ? nil : $0 }
        guard let smtp = configuration.smtp, recipient != nil || operatorCopy != nil else {
            try await repositories.notices.markSent(tenantID: tenantID, noticeID: noticeID)
            return .notMailed
        }
        let body = kind.body(tenantName: tenant.name, period: period)
        if let recipient {
            let message = MailMessage(
                from: configuration.from, fromName: "Woodstock Relay", to: [recipient], subject: kind.subject,
                body: body)
            do {
                try await http.sendMail(message, using: smtp)
            } catch {
                throw BillingError(.deliveryFailed, message: "notice \(kind.rawValue) for \(tenantID): \(error)")
            }
        }
        try await repositories.notices.markSent(tenantID: tenantID, noticeID: noticeID)
        logger.info(
            "notice sent",
            metadata: [
                "tenant.id": "\(tenantID)", "notice.kind": "\(kind.rawValue)",
                "notice.to_tenant": "\(recipient != nil)",
            ])
        if let operatorCopy {
            let copy = MailMessage(
                from: configuration.from, fromName: "Woodstock Relay", to: [operatorCopy],
                subject: "[\(tenant.name)] \(kind.subject)",
                body: "Tenant \(tenant.name) (\(tenantID)) was sent this notice"
                    + (recipient == nil ? " on its page only (no e-mail address on file)" : "") + ":\n\n" + body)
            do {
                try await http.sendMail(copy, using: smtp)
            } catch {
                logger.warning(
                    "operator copy of a notice not sent",
                    metadata: ["tenant.id": "\(tenantID)", "notice.kind": "\(kind.rawValue)", "error": "\(error)"])
            }
        }
        return .sent
    }

    /// The tenant's notice address: ``Tenant/noticeRecipient``, else (tenants from before the `email` column)
    /// the persona setting, if it holds a valid address and mail is enabled.
    static func recipient(of tenant: Tenant, setting: String) -> String? {
        if let address = tenant.noticeRecipient { return address }
        guard tenant.noticeEmailEnabled, tenant.email == nil, let legacy = tenant.persona.settings[setting],
            Tenant.isValidEmail(legacy)
        else { return nil }
        return legacy
    }
}
