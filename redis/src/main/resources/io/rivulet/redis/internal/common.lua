-- Shared by every Rivulet script; prepended to each one. Every script of a topic gets the same KEYS:
-- KEYS[1..10] the streams of priority 0..9, KEYS[11] the delayed set, KEYS[12] the dead letters,
-- KEYS[13] the counters hash. All carry the {topic} hash tag, so they share a cluster slot.
local DELAYED, DEAD, STATS = KEYS[11], KEYS[12], KEYS[13]

local function stream(level)
  return KEYS[tonumber(level) + 1]
end

local function xadd(key, maxlen, fields)
  if maxlen > 0 then
    return redis.call('XADD', key, 'MAXLEN', '~', maxlen, '*', unpack(fields))
  end
  return redis.call('XADD', key, '*', unpack(fields))
end

-- A delayed member: "<level>:<attempt>:<nonce>:<#id>:<#meta>:" .. id .. meta .. payload. The nonce
-- keeps two delayed copies of one message distinct.
local function member(level, attempt, nonce, id, meta, payload)
  return level .. ':' .. attempt .. ':' .. nonce .. ':' .. #id .. ':' .. #meta .. ':' .. id .. meta .. payload
end

local function parse_member(m)
  local parts, pos = {}, 1
  for i = 1, 5 do
    local colon = string.find(m, ':', pos, true)
    parts[i] = string.sub(m, pos, colon - 1)
    pos = colon + 1
  end
  local idlen, metalen = tonumber(parts[4]), tonumber(parts[5])
  local id = string.sub(m, pos, pos + idlen - 1)
  local meta = string.sub(m, pos + idlen, pos + idlen + metalen - 1)
  local payload = string.sub(m, pos + idlen + metalen)
  return parts[1], {'id', id, 'attempt', parts[2], 'meta', meta, 'payload', payload}
end

-- Moves up to limit due delayed messages to their streams; several movers never move one twice,
-- as each script runs alone.
local function move_due(now, limit, maxlen)
  local due = redis.call('ZRANGEBYSCORE', DELAYED, '-inf', now, 'LIMIT', 0, limit)
  for _, m in ipairs(due) do
    local level, fields = parse_member(m)
    xadd(stream(level), maxlen, fields)
    redis.call('ZREM', DELAYED, m)
  end
  return #due
end

local function as_map(flat)
  local t = {}
  for i = 1, #flat, 2 do
    t[flat[i]] = flat[i + 1]
  end
  return t
end

-- Takes a delivered entry out of the group if it is still this delivery (its delivery count has not
-- moved on, i.e. no one claimed it since): returns its fields as a map ({} if it was trimmed away,
-- or if want_fields is false), or nil for a stale delivery.
local function take(key, group, id, count, want_fields)
  local p = redis.pcall('XPENDING', key, group, id, id, 1)
  if p.err or #p == 0 or tonumber(p[1][4]) ~= tonumber(count) then
    return nil
  end
  local entry = want_fields and redis.call('XRANGE', key, id, id) or {}
  redis.call('XACK', key, group, id)
  redis.call('XDEL', key, id)
  if #entry == 0 then
    return {}
  end
  return as_map(entry[1][2])
end
