-- Moves one dead letter back to its topic, atomically: removed from the dead letters only if it is
-- still there, so concurrent replays never double it. ARGV: dead entry id, level, max stream length,
-- then the new entry's field, value, ...
if redis.call('XDEL', DEAD, ARGV[1]) == 0 then
  return 0
end
local fields = {}
for i = 4, #ARGV do
  fields[#fields + 1] = ARGV[i]
end
xadd(stream(ARGV[2]), tonumber(ARGV[3]), fields)
return 1
