-- Deletes a topic's ready and delayed messages (not those in flight); returns how many.
-- ARGV: group, the consumer name used to take the ready ones
local group, taker, n = ARGV[1], ARGV[2], 0
for level = 0, 9 do
  local key = stream(level)
  if redis.call('EXISTS', key) == 1 then
    local r = redis.pcall('XREADGROUP', 'GROUP', group, taker, 'STREAMS', key, '>')
    if type(r) == 'table' and r.err then
      redis.call('XGROUP', 'CREATE', key, group, '0')
      r = redis.call('XREADGROUP', 'GROUP', group, taker, 'STREAMS', key, '>')
    end
    if r then
      for _, e in ipairs(r[1][2]) do
        redis.call('XACK', key, group, e[1])
        redis.call('XDEL', key, e[1])
        n = n + 1
      end
    end
    redis.call('XGROUP', 'DELCONSUMER', key, group, taker)
  end
end
n = n + redis.call('ZCARD', DELAYED)
redis.call('DEL', DELAYED)
return n
