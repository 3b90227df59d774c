import Redis

extension UsageMeter {
    /// The SHA-1 of the check-and-count Lua script, so `scripts/bench lifecycle` can run the same script with
    /// `redis-benchmark EVALSHA` as the ceiling beside ``checkAndCount(tenantID:limit:messageID:at:)``.
    public static var checkAndCountScriptSHA1: String { checkAndCountScript.sha1 }
}
