extension Migration {
    /// 0002: usage ledger, notices and the append-only audit log.
    static let ledger = Migration(
        version: 2, name: "usage_notices_audit",
        sql: """
            CREATE TABLE usage_ledger (
                client_id uuid NOT NULL REFERENCES client_integrations (id),
                period text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
                messages_answered bigint NOT NULL DEFAULT 0 CHECK (messages_answered >= 0),
                messages_over_limit bigint NOT NULL DEFAULT 0 CHECK (messages_over_limit >= 0),
                updated_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (client_id, period)
            );

            CREATE TABLE notices (
                id uuid PRIMARY KEY,
                client_id uuid NOT NULL REFERENCES client_integrations (id),
                kind text NOT NULL,
                period text NOT NULL,
                details jsonb NOT NULL DEFAULT '{}'::jsonb,
                created_at timestamptz NOT NULL DEFAULT now(),
                sent_at timestamptz,
                UNIQUE (client_id, kind, period)
            );

            CREATE TABLE audit_log (
                id bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
                occurred_at timestamptz NOT NULL DEFAULT now(),
                actor text NOT NULL,
                client_id uuid REFERENCES client_integrations (id),
                action text NOT NULL,
                details jsonb NOT NULL DEFAULT '{}'::jsonb
            );
            CREATE INDEX audit_log_client ON audit_log (client_id, occurred_at);

            CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
            END
            $$;
            CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
                FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
            CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
                FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
            """)
}
