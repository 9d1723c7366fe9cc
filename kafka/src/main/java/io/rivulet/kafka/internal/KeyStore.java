package io.rivulet.kafka.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Dedup keys with a time to live, in this broker's memory: Kafka has no keyed store with
 * expiry. Keys are therefore not shared between processes and do not survive a restart
 * (documented in docs/kafka.md).
 */
final class KeyStore {

    private static final int SWEEP_EVERY = 1024;

    private final Map<String, Long> keys = new ConcurrentHashMap<>();
    private final AtomicInteger writes = new AtomicInteger();
    private final LongSupplier clock;

    KeyStore(LongSupplier clock) {
        this.clock = clock;
    }

    boolean setIfAbsent(String key, Duration ttl) {
        long now = clock.getAsLong();
        boolean[] set = new boolean[1];
        keys.compute(key, (k, old) -> {
            if (old == null || old <= now) {
                set[0] = true;
                return now + ttl.toMillis();
            }
            return old;
        });
        if (writes.incrementAndGet() % SWEEP_EVERY == 0) {
            keys.values().removeIf(at -> at <= now);
        }
        return set[0];
    }

    boolean exists(String key) {
        Long at = keys.get(key);
        return at != null && at > clock.getAsLong();
    }

    void delete(String key) {
        keys.remove(key);
    }
}
