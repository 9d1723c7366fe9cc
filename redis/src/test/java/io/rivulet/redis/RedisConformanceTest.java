package io.rivulet.redis;

import io.rivulet.core.kit.ConformanceKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The whole conformance kit, unchanged, on the real Redis at 127.0.0.1:6379 on the real clock. */
class RedisConformanceTest extends RedisKitRun implements ConformanceKit {

    private static TestRedis redis;

    @BeforeAll
    static void connect() {
        redis = new TestRedis();
        warmUp(redis.options().build());
    }

    @AfterAll
    static void cleanUp() {
        redis.close();
    }

    @Override
    RedisOptions.Builder options() {
        return redis.options();
    }
}
