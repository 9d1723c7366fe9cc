-- Deletes every dead letter of a topic; returns how many.
local n = redis.call('XLEN', DEAD)
redis.call('DEL', DEAD)
return n
