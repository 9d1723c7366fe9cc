package io.rivulet.core.internal;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Generates message ids: random (version 4) UUIDs in their usual 36-character text form.
 *
 * <p>{@link UUID#randomUUID()} draws from a shared {@link SecureRandom}, which costs a lock and
 * a system call per id and is the top cost of publishing in memory. Message ids need to be unique,
 * not unguessable, so the 122 random bits come from {@link ThreadLocalRandom} (no contention),
 * XOR-ed with a salt drawn once per JVM from {@link SecureRandom} so that two JVMs whose
 * thread-local generators happen to start from the same seed still produce different ids.
 * Collisions are as unlikely as with {@code UUID.randomUUID()} as long as the generators do not
 * overlap (each thread's generator has a period of 2<sup>64</sup>). Do not use ids as secrets.
 */
public final class MessageIds {

    private static final long SALT_HIGH;
    private static final long SALT_LOW;

    static {
        SecureRandom seed = new SecureRandom();
        SALT_HIGH = seed.nextLong();
        SALT_LOW = seed.nextLong();
    }

    private MessageIds() {
    }

    /** A new random id, thread-safe and non-blocking. */
    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() ^ SALT_HIGH) & ~0xF000L | 0x4000L; // version 4
        long low = (random.nextLong() ^ SALT_LOW) & ~(0xC000L << 48) | (0x8000L << 48); // IETF variant
        return new UUID(high, low).toString();
    }
}
