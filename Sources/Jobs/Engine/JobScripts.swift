import Redis

/// The Lua scripts of the engine. Each touches only keys under one queue's prefix (`KEYS[1]`),
/// so all its keys share the `{queue}` hash tag.
enum JobScripts {
    /// Shared Lua helpers: the group of a stored job, and pushing ready jobs with the rotation invariant
    /// (a group is in `:groups` exactly when its list is non-empty).
    static let helpers = """
        local function group_of(job) return string.match(job, '^[^\\t]*\\t[^\\t]*\\t([^\\t]*)\\t') or '_' end
        local function push_ready(p, g, jobs, front)
          local key = p .. ':g:' .. g
          local len = 0
          for i = 1, #jobs, 1000 do
            local chunk = {unpack(jobs, i, math.min(i + 999, #jobs))}
            if front then len = redis.call('LPUSH', key, unpack(chunk)) else len = redis.call('RPUSH', key, unpack(chunk)) end
          end
          if len == #jobs then
            if redis.call('RPUSH', p .. ':groups', g) == 1 then
              redis.call('LPUSH', p .. ':notify', '1')
              redis.call('LTRIM', p .. ':notify', 0, 15)
            end
          end
        end
        """

    /// Enqueue. `ARGV`: now, then per job: group, job, runAtMs, uniqueKey (or ''), uniqueTTLms.
    /// Returns one integer per job: 1 enqueued, 0 duplicate.
    static let enqueue = RedisScript(
        helpers + "\n" + """
            local p = KEYS[1]
            local now = tonumber(ARGV[1])
            local out, ready, order = {}, {}, {}
            local n = 0
            for i = 2, #ARGV, 5 do
              n = n + 1
              local g, job, at, u = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2]), ARGV[i + 3]
              local fresh = true
              if u ~= '' then fresh = redis.call('SET', p .. ':u:' .. u, '1', 'NX', 'PX', ARGV[i + 4]) end
              if fresh then
                out[n] = 1
                if at > now then
                  redis.call('ZADD', p .. ':scheduled', at, job)
                else
                  local list = ready[g]
                  if not list then list = {}; ready[g] = list; order[#order + 1] = g end
                  list[#list + 1] = job
                end
              else
                out[n] = 0
              end
            end
            for _, g in ipairs(order) do push_ready(p, g, ready[g], false) end
            return out
            """
    )

    /// Fetch. `ARGV`: now, want, leaseDeadlineMs. Returns `{status, hintMs, job...}`: status 1 when
    /// paused; hintMs is when work may next become available (earliest delayed job or rate window), 0 if none.
    static let fetch = RedisScript(
        helpers + "\n" + """
            local p = KEYS[1]
            local now, want, deadline = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
            """ + "\n" + fetchBody
    )

    /// The body of ``fetch`` with `p`, `now`, `want` and `deadline` in scope; it `return`s the reply.
    static let fetchBody = """
        if redis.call('EXISTS', p .. ':paused') == 1 then return {1, 0} end
        for _, z in ipairs({':scheduled', ':retry'}) do
          local due = redis.call('ZRANGEBYSCORE', p .. z, '-inf', now, 'LIMIT', 0, 1000)
          if #due > 0 then
            redis.call('ZREM', p .. z, unpack(due))
            local byGroup, order = {}, {}
            for _, job in ipairs(due) do
              local g = group_of(job)
              if not byGroup[g] then byGroup[g] = {}; order[#order + 1] = g end
              table.insert(byGroup[g], job)
            end
            for _, g in ipairs(order) do push_ready(p, g, byGroup[g], false) end
          end
        end
        local cfg = redis.call('HMGET', p .. ':config', 'concurrency', 'rate')
        local cap, rate = tonumber(cfg[1]), tonumber(cfg[2])
        local window, allowance = 1, 0
        if rate then
          window = math.max(1, math.ceil(1 / rate))
          allowance = math.floor(rate * window + 0.000001)
        end
        local jobs = {}
        local hint = 0
        local ngroups = redis.call('LLEN', p .. ':groups')
        local perGroup = want
        if ngroups > 1 then perGroup = math.max(1, math.floor(want / ngroups)) end
        local scanned = 0
        while #jobs < want and scanned < ngroups and scanned < 512 do
          scanned = scanned + 1
          local g = redis.call('LMOVE', p .. ':groups', p .. ':groups', 'LEFT', 'RIGHT')
          if not g then break end
          local take = math.min(perGroup, want - #jobs)
          if cap then
            local active = tonumber(redis.call('HGET', p .. ':active', g) or '0')
            take = math.min(take, cap - active)
          end
          local rateKey
          if rate then
            local slot = math.floor(now / 1000 / window)
            rateKey = p .. ':rate:' .. g .. ':' .. slot
            local used = tonumber(redis.call('GET', rateKey) or '0')
            if used >= allowance then
              local nextWindow = (slot + 1) * window * 1000
              if hint == 0 or nextWindow < hint then hint = nextWindow end
            end
            take = math.min(take, allowance - used)
          end
          if take > 0 then
            local key = p .. ':g:' .. g
            local got = redis.call('LPOP', key, take)
            local count = 0
            if got then count = #got; for _, job in ipairs(got) do jobs[#jobs + 1] = job end end
            if count < take or redis.call('LLEN', key) == 0 then redis.call('RPOP', p .. ':groups') end
            if count > 0 and cap then redis.call('HINCRBY', p .. ':active', g, count) end
            if count > 0 and rate then
              redis.call('INCRBY', rateKey, count)
              redis.call('PEXPIRE', rateKey, window * 2000)
            end
          end
        end
        if #jobs > 0 then
          for i = 1, #jobs, 1000 do
            local args = {}
            for j = i, math.min(i + 999, #jobs) do args[#args + 1] = deadline; args[#args + 1] = jobs[j] end
            redis.call('ZADD', p .. ':running', unpack(args))
          end
          if #jobs == want and redis.call('LLEN', p .. ':groups') > 0 then
            redis.call('LPUSH', p .. ':notify', '1')
            redis.call('LTRIM', p .. ':notify', 0, 15)
          end
        else
          for _, z in ipairs({':scheduled', ':retry'}) do
            local first = redis.call('ZRANGE', p .. z, 0, 0, 'WITHSCORES')
            if first[2] then
              local at = tonumber(first[2])
              if hint == 0 or at < hint then hint = at end
            end
          end
        end
        local out = {0, hint}
        for i = 1, #jobs do out[i + 2] = jobs[i] end
        return out
        """
}
