import Postgres

extension CrossTenantQueries {
    /// Every tenant's integrations (no tokens), ordered by tenant then platform, for the operator dashboard.
    /// Cross-tenant by nature: for operators only.
    /// - Throws: a `PostgresError`.
    public func allIntegrations() async throws -> [Integration] {
        let rows = try await pool.query(
            """
            SELECT \(unsafeRaw: IntegrationRepository.columns) FROM platform_integrations
            ORDER BY client_id, platform, account_id
            """)
        return try rows.map(IntegrationRepository.integration)
    }
}
