-- Moves due delayed messages, claims entries idle longer than the visibility timeout, then reads new
-- entries, highest priority first, up to ARGV[3] in all.
-- ARGV: group, consumer, count, now (ms), claim idle (ms, 0: no claim), max stream length (0: none)
local group, consumer = ARGV[1], ARGV[2]
local want = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local claim_idle = tonumber(ARGV[5])
local maxlen = tonumber(ARGV[6])

move_due(now, 1000, maxlen)

local out = {}
if claim_idle > 0 then
  for level = 9, 0, -1 do
    if want <= 0 then break end
    local key = stream(level)
    if redis.call('XLEN', key) > 0 then
      local r = redis.pcall('XAUTOCLAIM', key, group, consumer, claim_idle, '0-0', 'COUNT', want)
      if not r.err then
        for _, e in ipairs(r[2]) do
          if e and e[2] then
            local p = redis.call('XPENDING', key, group, e[1], e[1], 1)
            out[#out + 1] = {level, e[1], p[1][4], e[2]}
            want = want - 1
          end
        end
      end
    end
  end
end

for level = 9, 0, -1 do
  if want <= 0 then break end
  local key = stream(level)
  if redis.call('EXISTS', key) == 1 then
    local r = redis.pcall('XREADGROUP', 'GROUP', group, consumer, 'COUNT', want, 'STREAMS', key, '>')
    if type(r) == 'table' and r.err then
      if not string.find(r.err, 'NOGROUP', 1, true) then
        return redis.error_reply(r.err)
      end
      redis.call('XGROUP', 'CREATE', key, group, '0')
      r = redis.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', want, 'STREAMS', key, '>')
    end
    if r then
      for _, e in ipairs(r[1][2]) do
        out[#out + 1] = {level, e[1], 1, e[2]}
        want = want - 1
      end
    end
  end
end

if #out > 0 then
  return {out}
end
-- Nothing to do: tell the consumer when the next delayed message is due and where each stream ends,
-- so that it can block until then or until something newer arrives.
local first = redis.call('ZRANGE', DELAYED, 0, 0, 'WITHSCORES')
local ends = {}
for level = 0, 9 do
  local last = redis.call('XREVRANGE', stream(level), '+', '-', 'COUNT', 1)
  ends[level + 1] = last[1] and last[1][1] or '0-0'
end
return {out, first[2] or '-1', ends}
