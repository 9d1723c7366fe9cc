-- A topic's counters: ready, in flight, delayed, dead, completed, failed, retried. Moves due delayed
-- messages first, so that the counts are right even while no consumer runs.
-- ARGV: group, now (ms), max stream length
move_due(tonumber(ARGV[2]), 1000, tonumber(ARGV[3]))
local ready, pending = 0, 0
for level = 0, 9 do
  local key = stream(level)
  local len = redis.call('XLEN', key)
  if len > 0 then
    local p = redis.pcall('XPENDING', key, ARGV[1])
    local n = 0
    if not p.err then
      n = tonumber(p[1])
    end
    pending = pending + n
    ready = ready + len - n
  end
end
local c = redis.call('HMGET', STATS, 'completed', 'failed', 'retried')
return {ready, pending, redis.call('ZCARD', DELAYED), redis.call('XLEN', DEAD),
        tonumber(c[1]) or 0, tonumber(c[2]) or 0, tonumber(c[3]) or 0}
