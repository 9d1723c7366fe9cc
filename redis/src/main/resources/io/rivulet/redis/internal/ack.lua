-- Acks one delivery: XACK + XDEL + completed counter, if the delivery is still current.
-- ARGV: group, level, entry id, delivery count
if take(stream(ARGV[2]), ARGV[1], ARGV[3], ARGV[4], false) == nil then
  return 0
end
redis.call('HINCRBY', STATS, 'completed', 1)
return 1
