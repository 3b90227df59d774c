extension JobScripts {
    /// Lua helper for the acknowledge script: per-minute counts of finished runs, kept one hour bucket per key.
    ///
    /// Key `<prefix>:tp:<hour>` (a hash under the queue's hash tag, expiring after 3 hours), fields per
    /// minute `m` since the epoch: `m:d` done, `m:f` failed and retried, `m:k` killed (dead), `m:l` the sum
    /// and `m:h` the maximum of the done jobs' latency in milliseconds (first enqueue to acknowledgement).
    /// Reads the acknowledge script's `ARGV` (now, …, then op, leasedJob, newJob, score per job).
    static let throughputHelper = """
        local function record_throughput(p, now)
          local done, failed, killed, total, longest = 0, 0, 0, 0, 0
          for i = 4, #ARGV, 4 do
            local op = ARGV[i]
            if op == 'd' then
              done = done + 1
              local at = tonumber(string.match(ARGV[i + 1], '^[^\\t]*\\t[^\\t]*\\t[^\\t]*\\t[^\\t]*\\t(%d+)\\t') or '')
              if at then
                local waited = math.max(0, now - at)
                total = total + waited
                if waited > longest then longest = waited end
              end
            elseif op == 'r' then
              failed = failed + 1
            elseif op == 'x' then
              killed = killed + 1
            end
          end
          if done + failed + killed == 0 then return end
          local minute = math.floor(now / 60000)
          local key = p .. ':tp:' .. math.floor(minute / 60)
          local m = tostring(minute)
          if done > 0 then
            redis.call('HINCRBY', key, m .. ':d', done)
            redis.call('HINCRBY', key, m .. ':l', total)
            if longest > tonumber(redis.call('HGET', key, m .. ':h') or '0') then
              redis.call('HSET', key, m .. ':h', longest)
            end
          end
          if failed > 0 then redis.call('HINCRBY', key, m .. ':f', failed) end
          if killed > 0 then redis.call('HINCRBY', key, m .. ':k', killed) end
          redis.call('EXPIRE', key, 10800)
        end
        """
}
