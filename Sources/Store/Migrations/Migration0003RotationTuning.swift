extension Migration {
    /// 0003: let token re-encryption update rows in place (HOT): no index on `token_key_id` (rotation scans
    /// the table; nothing else looks tokens up by key) and free space on each page.
    static let rotationTuning = Migration(
        version: 3, name: "rotation_tuning",
        sql: """
            DROP INDEX platform_integrations_key;
            ALTER TABLE platform_integrations SET (fillfactor = 80);
            """)
}
