-- Appends messages to their streams, in order; stops at the first that fails.
-- ARGV: max stream length (0: none), then per message: level, id, attempt, meta, payload.
-- Returns {stored}, or {stored, error} when the message after the stored ones failed.
local maxlen = tonumber(ARGV[1])
local stored = 0
for i = 2, #ARGV, 5 do
  local key = stream(ARGV[i])
  local r
  if maxlen > 0 then
    r = redis.pcall('XADD', key, 'MAXLEN', '~', maxlen, '*',
        'id', ARGV[i + 1], 'attempt', ARGV[i + 2], 'meta', ARGV[i + 3], 'payload', ARGV[i + 4])
  else
    r = redis.pcall('XADD', key, '*',
        'id', ARGV[i + 1], 'attempt', ARGV[i + 2], 'meta', ARGV[i + 3], 'payload', ARGV[i + 4])
  end
  if type(r) == 'table' and r.err then
    return {stored, r.err}
  end
  stored = stored + 1
end
return {stored}
