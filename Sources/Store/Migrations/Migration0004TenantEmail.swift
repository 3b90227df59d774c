extension Migration {
    /// 0004: the tenant's contact address for notices (`email`, nullable, one plain address) and whether notices
    /// are mailed to it (`notice_email_enabled`, default on). The address used to live in the persona's
    /// `contact_email` setting; that value is carried over.
    static let tenantEmail = Migration(
        version: 4, name: "tenant_email",
        sql: """
            ALTER TABLE client_integrations
                ADD COLUMN email text
                    CHECK (email IS NULL OR (length(email) <= 254 AND email ~ '^[^@[:space:]]+@[^@[:space:]]+$')),
                ADD COLUMN notice_email_enabled boolean NOT NULL DEFAULT true;
            UPDATE client_integrations SET email = persona_settings->>'contact_email'
                WHERE persona_settings->>'contact_email' ~ '^[^@[:space:]]+@[^@[:space:]]+$'
                  AND length(persona_settings->>'contact_email') <= 254;
            """)
}
