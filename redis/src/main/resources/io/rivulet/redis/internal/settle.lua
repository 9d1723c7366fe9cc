-- Settles one delivery other than by ack, if it is still current; returns 1, or 0 for a stale one.
-- ARGV: group, level, entry id, delivery count, action, now (ms), then per action:
--   nack:    delay (ms), next attempt, max stream length
--   release: attempt, max stream length
--   drop:    -
--   dead:    field, value, ... of the dead letter, attempt included (id, meta and payload are copied)
local level, action, now = ARGV[2], ARGV[5], tonumber(ARGV[6])
local f = take(stream(level), ARGV[1], ARGV[3], ARGV[4], action ~= 'drop')
if f == nil then
  return 0
end
if f.id == nil and action ~= 'drop' then
  -- The entry was trimmed away (RedisOptions.streamMaxLength): nothing left to move.
  return 1
end
if action == 'nack' then
  local delay, attempt = tonumber(ARGV[7]), ARGV[8]
  if delay > 0 then
    redis.call('ZADD', DELAYED, now + delay,
        member(level, attempt, level .. '-' .. ARGV[3], f.id, f.meta, f.payload))
  else
    xadd(stream(level), tonumber(ARGV[9]),
        {'id', f.id, 'attempt', attempt, 'meta', f.meta, 'payload', f.payload})
  end
  redis.call('HINCRBY', STATS, 'retried', 1)
elseif action == 'release' then
  xadd(stream(level), tonumber(ARGV[8]),
      {'id', f.id, 'attempt', ARGV[7], 'meta', f.meta, 'payload', f.payload})
elseif action == 'drop' then
  redis.call('HINCRBY', STATS, 'failed', 1)
elseif action == 'dead' then
  local fields = {'id', f.id, 'meta', f.meta, 'payload', f.payload}
  for i = 7, #ARGV do
    fields[#fields + 1] = ARGV[i]
  end
  redis.call('XADD', DEAD, '*', unpack(fields))
  redis.call('HINCRBY', STATS, 'failed', 1)
end
return 1
