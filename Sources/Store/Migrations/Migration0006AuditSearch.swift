extension Migration {
    /// 0006: indexes for the operator dashboard's audit log filters (actor and action prefixes, time range).
    static let auditSearch = Migration(
        version: 6, name: "audit_search",
        sql: """
            CREATE INDEX audit_log_action ON audit_log (action text_pattern_ops);
            CREATE INDEX audit_log_actor ON audit_log (actor text_pattern_ops);
            CREATE INDEX audit_log_occurred ON audit_log (occurred_at);
            """)
}
