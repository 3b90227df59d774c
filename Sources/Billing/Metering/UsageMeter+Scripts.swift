import Redis

extension UsageMeter {
    /// Check-and-count, atomically.
    ///
    /// `KEYS[1]` the period's usage hash (`answered`, `denied`), `KEYS[2]` the message's decision key.
    /// `ARGV[1]` limit (-1: unlimited), `ARGV[2]` the hash's expire-at (unix seconds), `ARGV[3]` the decision
    /// key's TTL in seconds (`0`: no message id, nothing remembered), `ARGV[4]` the period text,
    /// `ARGV[5...]` thresholds in percent. Returns `{allowed, count, replay, period, crossed...}`.
    /// A decision already taken for the message is replayed from `KEYS[2]` (`A|D|R:period:count`).
    static let checkAndCountScript = RedisScript(
        """
        local remember = ARGV[3] ~= '0'
        if remember then
          local prior = redis.call('GET', KEYS[2])
          if prior then
            local tag, period, count = string.match(prior, '^(%a):([%d%-]+):(%d+)$')
            if tag then
              return {tag == 'A' and 1 or 0, tonumber(count), 1, period}
            end
          end
        end
        local limit = tonumber(ARGV[1])
        local used = tonumber(redis.call('HGET', KEYS[1], 'answered') or '0')
        local result
        if limit >= 0 and used >= limit then
          redis.call('HINCRBY', KEYS[1], 'denied', 1)
          result = {0, used, 0, ARGV[4]}
        else
          local after = redis.call('HINCRBY', KEYS[1], 'answered', 1)
          result = {1, after, 0, ARGV[4]}
          if limit > 0 then
            for i = 5, #ARGV do
              local percent = tonumber(ARGV[i])
              local mark = math.ceil(limit * percent / 100)
              if used < mark and after >= mark then
                table.insert(result, percent)
              end
            end
          end
        end
        redis.call('EXPIREAT', KEYS[1], ARGV[2])
        if remember then
          local tag = result[1] == 1 and 'A' or 'D'
          redis.call('SET', KEYS[2], tag .. ':' .. ARGV[4] .. ':' .. result[2], 'EX', ARGV[3])
        end
        return result
        """
    )

    /// Gives back the count of a message that was allowed but never answered.
    ///
    /// `KEYS[1]` the period's usage hash, `KEYS[2]` the message's decision key. Returns 1 when the count
    /// was given back, 0 when the message was not (or no longer) counted.
    static let refundScript = RedisScript(
        """
        local prior = redis.call('GET', KEYS[2])
        if not prior or string.sub(prior, 1, 2) ~= 'A:' then
          return 0
        end
        local count = redis.call('HINCRBY', KEYS[1], 'answered', -1)
        if count < 0 then
          redis.call('HSET', KEYS[1], 'answered', 0)
          count = 0
        end
        redis.call('HINCRBY', KEYS[1], 'refunded', 1)
        redis.call('SET', KEYS[2], 'R' .. string.sub(prior, 2), 'KEEPTTL')
        return 1
        """
    )

    /// Raises the answered count to at least `ARGV[1]` (recovery after Redis lost its data).
    ///
    /// `KEYS[1]` the period's usage hash, `ARGV[2]` its expire-at. Returns the count afterwards.
    static let restoreScript = RedisScript(
        """
        local current = tonumber(redis.call('HGET', KEYS[1], 'answered') or '0')
        local wanted = tonumber(ARGV[1])
        if wanted > current then
          redis.call('HSET', KEYS[1], 'answered', wanted)
          current = wanted
        end
        redis.call('EXPIREAT', KEYS[1], ARGV[2])
        return current
        """
    )
}
