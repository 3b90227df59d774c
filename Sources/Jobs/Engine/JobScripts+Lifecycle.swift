import Redis

extension JobScripts {
    /// Acknowledge a batch. `ARGV`: now, deadMaxCount, deadMaxAgeMs, then per job: op, leasedJob, newJob, score.
    /// op `d` done, `r` retry at score, `x` dead, `b` hand back to the front of its group.
    /// A failed job whose lease was already lost (reaped) is left alone: it is queued again. When a group
    /// under a concurrency cap frees a slot and work is waiting, an idle worker is woken.
    static let acknowledge = RedisScript(
        helpers + "\n" + throughputHelper + "\n" + """
            local p = KEYS[1]
            local now, deadMax, deadAge = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
            local capped = redis.call('HEXISTS', p .. ':config', 'concurrency') == 1
            local done, back, backOrder, freed = {}, {}, {}, {}
            local died = false
            for i = 4, #ARGV, 4 do
              local op, job = ARGV[i], ARGV[i + 1]
              if op == 'd' and not capped then
                done[#done + 1] = job
              elseif redis.call('ZREM', p .. ':running', job) == 1 then
                local g = group_of(job)
                if capped then freed[g] = (freed[g] or 0) + 1 end
                if op == 'r' then
                  redis.call('ZADD', p .. ':retry', ARGV[i + 3], ARGV[i + 2])
                elseif op == 'x' then
                  redis.call('ZADD', p .. ':dead', now, ARGV[i + 2])
                  died = true
                elseif op == 'b' then
                  if not back[g] then back[g] = {}; backOrder[#backOrder + 1] = g end
                  table.insert(back[g], 1, job)
                end
              end
            end
            for i = 1, #done, 1000 do redis.call('ZREM', p .. ':running', unpack(done, i, math.min(i + 999, #done))) end
            local anyFreed = false
            for g, count in pairs(freed) do
              anyFreed = true
              if redis.call('HINCRBY', p .. ':active', g, -count) <= 0 then redis.call('HDEL', p .. ':active', g) end
            end
            if anyFreed and redis.call('LLEN', p .. ':groups') > 0 then
              redis.call('LPUSH', p .. ':notify', '1')
              redis.call('LTRIM', p .. ':notify', 0, 15)
            end
            for _, g in ipairs(backOrder) do push_ready(p, g, back[g], true) end
            if died then
              redis.call('ZREMRANGEBYSCORE', p .. ':dead', '-inf', now - deadAge)
              redis.call('ZREMRANGEBYRANK', p .. ':dead', 0, -(deadMax + 1))
            end
            record_throughput(p, now)
            return 1
            """
    )

    /// Return expired leases to the front of their groups, counting the lost run as a failed attempt
    /// (so a job that kills its worker every time ends in the dead set), and drop dead jobs older than the
    /// maximum age. `ARGV`: now, limit, deadMaxAgeMs (optional). Returns how many leases were returned.
    static let reap = RedisScript(
        helpers + "\n" + """
            local p = KEYS[1]
            if ARGV[3] then redis.call('ZREMRANGEBYSCORE', p .. ':dead', '-inf', tonumber(ARGV[1]) - tonumber(ARGV[3])) end
            local expired = redis.call('ZRANGEBYSCORE', p .. ':running', '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
            if #expired == 0 then return 0 end
            redis.call('ZREM', p .. ':running', unpack(expired))
            local capped = redis.call('HEXISTS', p .. ':config', 'concurrency') == 1
            local byGroup, order = {}, {}
            for _, job in ipairs(expired) do
              local g = group_of(job)
              if not byGroup[g] then byGroup[g] = {}; order[#order + 1] = g end
              local head, attempt, rest = string.match(job, '^([^\t]*\t[^\t]*\t[^\t]*\t)([0-9]+)(\t.*)$')
              if head then job = head .. (tonumber(attempt) + 1) .. rest end
              table.insert(byGroup[g], 1, job)
            end
            for _, g in ipairs(order) do
              push_ready(p, g, byGroup[g], true)
              if capped and redis.call('HINCRBY', p .. ':active', g, -#byGroup[g]) <= 0 then
                redis.call('HDEL', p .. ':active', g)
              end
            end
            return #expired
            """
    )

    /// Move dead jobs back to their groups. `ARGV`: pairs of deadJob, freshJob. Returns how many moved.
    static let retryDead = RedisScript(
        helpers + "\n" + """
            local p = KEYS[1]
            local moved = 0
            for i = 1, #ARGV, 2 do
              if redis.call('ZREM', p .. ':dead', ARGV[i]) == 1 then
                push_ready(p, group_of(ARGV[i + 1]), {ARGV[i + 1]}, false)
                moved = moved + 1
              end
            end
            return moved
            """
    )

    /// Queue statistics. `ARGV`: now. Returns `{ready, running, scheduled, retry, dead, paused, oldestMs, groups}`;
    /// ready and oldest look at the first 1,000 groups.
    static let stats = RedisScript(
        """
        local p = KEYS[1]
        local groups = redis.call('LRANGE', p .. ':groups', 0, 999)
        local ready, oldest = 0, 0
        for _, g in ipairs(groups) do
          local key = p .. ':g:' .. g
          ready = ready + redis.call('LLEN', key)
          local head = redis.call('LINDEX', key, 0)
          if head then
            local at = tonumber(string.match(head, '^[^\\t]*\\t[^\\t]*\\t[^\\t]*\\t[^\\t]*\\t([^\\t]*)\\t'))
            if at and (oldest == 0 or at < oldest) then oldest = at end
          end
        end
        return {ready, redis.call('ZCARD', p .. ':running'), redis.call('ZCARD', p .. ':scheduled'),
          redis.call('ZCARD', p .. ':retry'), redis.call('ZCARD', p .. ':dead'), redis.call('EXISTS', p .. ':paused'),
          oldest, redis.call('LLEN', p .. ':groups')}
        """
    )

    /// Every script, for loading on `NOSCRIPT` in pipelines.
    static let all = [enqueue, fetch, acknowledge, reap, retryDead, stats]
}
