-- Acks deliveries: for each one still current, XACK + XDEL; then adds them to the completed counter.
-- ARGV: group, then per delivery: level, entry id, delivery count. Returns how many were current.
local group = ARGV[1]
local done = 0
for i = 2, #ARGV, 3 do
  if take(stream(ARGV[i]), group, ARGV[i + 1], ARGV[i + 2], false) ~= nil then
    done = done + 1
  end
end
if done > 0 then
  redis.call('HINCRBY', STATS, 'completed', done)
end
return done
