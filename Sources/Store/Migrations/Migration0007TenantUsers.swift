extension Migration {
    /// 0007: the people who log in to a tenant's page (e-mail, optional password hash); one login belongs to
    /// exactly one tenant, so a session is scoped to that tenant.
    static let tenantUsers = Migration(
        version: 7, name: "tenant_users",
        sql: """
            CREATE TABLE tenant_users (
                id uuid PRIMARY KEY,
                client_id uuid NOT NULL REFERENCES client_integrations (id),
                email text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
                password_hash text,
                created_at timestamptz NOT NULL DEFAULT now(),
                last_login_at timestamptz,
                UNIQUE (email),
                UNIQUE (client_id, id)
            );
            CREATE INDEX tenant_users_client ON tenant_users (client_id);
            """)
}
