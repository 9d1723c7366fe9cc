package io.rivulet.rabbit.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import reactor.core.scheduler.Scheduler;

/**
 * Dedup keys with a time to live, held in this process: AMQP has no key-value store, so
 * producer- and consumer-side dedup on RabbitMQ cover one broker instance (documented).
 * Expired keys are swept when the map grows.
 */
final class DedupKeys {

    private static final int SWEEP_EVERY = 4096;

    private final Scheduler clock;
    private final Map<String, Long> expiries = new ConcurrentHashMap<>();

    DedupKeys(Scheduler clock) {
        this.clock = clock;
    }

    boolean setIfAbsent(String key, Duration ttl) {
        long now = clock.now(TimeUnit.MILLISECONDS);
        long until = now + ttl.toMillis();
        boolean[] set = new boolean[1];
        expiries.compute(key, (k, old) -> {
            if (old == null || old <= now) {
                set[0] = true;
                return until;
            }
            return old;
        });
        if (set[0] && expiries.size() % SWEEP_EVERY == 0) {
            expiries.values().removeIf(t -> t <= now);
        }
        return set[0];
    }

    boolean exists(String key) {
        Long until = expiries.get(key);
        return until != null && until > clock.now(TimeUnit.MILLISECONDS);
    }

    void delete(String key) {
        expiries.remove(key);
    }
}
