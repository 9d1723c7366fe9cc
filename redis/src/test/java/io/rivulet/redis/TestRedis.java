package io.rivulet.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The shared test Redis on 127.0.0.1:6379 (scripts/test.sh starts it), used with a unique key
 * prefix per test class so that other users of that Redis are never disturbed; {@link #close()}
 * deletes the prefix's keys.
 */
final class TestRedis implements AutoCloseable {

    static final String HOST = "127.0.0.1";
    static final int PORT = 6379;

    final String prefix = "rivulet-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    TestRedis() {
        client = RedisClient.create("redis://" + HOST + ":" + PORT);
        try {
            connection = client.connect();
        } catch (RuntimeException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            throw new IllegalStateException("The Redis tests need Redis on " + HOST + ":" + PORT
                    + " and found none: run scripts/test.sh, which starts it (" + e.getMessage() + ")", e);
        }
    }

    /** Options for this prefix, with short timeouts for tests. */
    RedisOptions.Builder options() {
        return RedisOptions.builder().host(HOST).port(PORT).keyPrefix(prefix)
                .visibilityTimeout(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(250))
                .clientName("rivulet-test");
    }

    RedisCommands<String, String> sync() {
        return connection.sync();
    }

    /** Deletes every key under this prefix. */
    void deleteKeys() {
        List<String> keys = new ArrayList<>();
        ScanIterator<String> it = ScanIterator.scan(sync(), ScanArgs.Builder.matches(prefix + "*").limit(500));
        while (it.hasNext()) {
            keys.add(it.next());
            if (keys.size() == 500) {
                sync().unlink(keys.toArray(new String[0]));
                keys.clear();
            }
        }
        if (!keys.isEmpty()) {
            sync().unlink(keys.toArray(new String[0]));
        }
    }

    @Override
    public void close() {
        try {
            deleteKeys();
        } finally {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
