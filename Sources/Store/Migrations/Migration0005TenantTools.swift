extension Migration {
    /// 0005: enterprise tenants' own assistant tools, called as signed HTTPS webhooks. The signing secret is
    /// sealed by the vault (AAD: tenant, tool id, `tenant_tools.signing_secret`); its data key may not be
    /// deleted while a tool uses it.
    static let tenantTools = Migration(
        version: 5, name: "tenant_tools",
        sql: """
            CREATE TABLE tenant_tools (
                id uuid PRIMARY KEY,
                client_id uuid NOT NULL REFERENCES client_integrations (id),
                name text NOT NULL CHECK (name ~ '^[a-zA-Z0-9_-]{1,64}$'),
                description text NOT NULL CHECK (length(description) BETWEEN 1 AND 1024),
                parameters jsonb NOT NULL CHECK (jsonb_typeof(parameters) = 'object'),
                endpoint_url text NOT NULL CHECK (endpoint_url ~* '^https?://' AND length(endpoint_url) <= 2048),
                signing_secret bytea NOT NULL,
                secret_key_id integer NOT NULL REFERENCES encryption_keys (id),
                secret_format smallint NOT NULL,
                timeout_ms integer NOT NULL DEFAULT 5000 CHECK (timeout_ms BETWEEN 100 AND 30000),
                enabled boolean NOT NULL DEFAULT true,
                created_at timestamptz NOT NULL DEFAULT now(),
                secret_rotated_at timestamptz NOT NULL DEFAULT now(),
                UNIQUE (client_id, name)
            );
            """)
}
