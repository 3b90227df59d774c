import Redis

extension JobScripts {
    /// Fetch from several queues in one round trip, in the order of `KEYS` (highest priority first): each queue
    /// runs ``fetch``'s body for what the queues before it left of `want`. `ARGV`: now, want, leaseDeadlineMs; or
    /// 0, want, leaseMs to read the clock on the server when the script runs (a fetch queued behind a BLPOP).
    /// Returns `{hintMs, count₁, job…, count₂, job…, …}`, one count per key (0 for a paused queue); hintMs is
    /// the earliest time work may become available in any of them, 0 if none.
    ///
    /// All keys must live on one server (a standalone Redis or a Sentinel-managed primary): a Cluster spreads
    /// queues over slots, so there the worker calls ``fetch`` queue by queue.
    static let fetchMany = RedisScript(
        helpers + "\n" + "local function fetch_one(p, now, want, deadline)\n" + fetchBody + "\nend\n" + """
            local now, want, deadline = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
            if now == 0 then
              local t = redis.call('TIME')
              now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
              deadline = tostring(now + tonumber(ARGV[3]))
            end
            local out, hint, taken = {0}, 0, 0
            for _, p in ipairs(KEYS) do
              local left = want - taken
              if left <= 0 then
                out[#out + 1] = 0
              else
                local r = fetch_one(p, now, left, deadline)
                local h = tonumber(r[2]) or 0
                if h > 0 and (hint == 0 or h < hint) then hint = h end
                out[#out + 1] = #r - 2
                for i = 3, #r do out[#out + 1] = r[i] end
                taken = taken + #r - 2
              end
            end
            out[1] = hint
            return out
            """
    )
}
