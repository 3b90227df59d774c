public import Postgres

/// Every repository over one pool, for the composition root to build once and hand out.
public struct Repositories: Sendable {
    /// Tenants (`woodstock tenants …`).
    public let tenants: TenantRepository
    /// Platform integrations.
    public let integrations: IntegrationRepository
    /// Customers.
    public let users: PlatformUserRepository
    /// Conversations.
    public let conversations: ConversationRepository
    /// Messages.
    public let messages: MessageRepository
    /// Usage ledger.
    public let usage: UsageRepository
    /// Notices.
    public let notices: NoticeRepository
    /// Audit log.
    public let audit: AuditRepository
    /// Wrapped data keys (used by `Vault`).
    public let keys: KeyRepository
    /// The cross-tenant operations (webhook routing, refresh sweep, billing export).
    public let crossTenant: CrossTenantQueries

    /// Builds every repository over `pool`.
    public init(pool: PostgresPool) {
        tenants = TenantRepository(pool: pool)
        integrations = IntegrationRepository(pool: pool)
        users = PlatformUserRepository(pool: pool)
        conversations = ConversationRepository(pool: pool)
        messages = MessageRepository(pool: pool)
        usage = UsageRepository(pool: pool)
        notices = NoticeRepository(pool: pool)
        audit = AuditRepository(pool: pool)
        keys = KeyRepository(pool: pool)
        crossTenant = CrossTenantQueries(pool: pool)
    }
}
