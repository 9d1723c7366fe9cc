package io.rivulet.samples.service;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Redis unreachable: the Redis broker connects lazily, so the service starts; its consumers stop
 * with "Cannot connect to Redis at ..." and {@code /ready} answers 503.
 */
@TestPropertySource(properties = {"rivulet.backend=redis", "rivulet.redis.host=127.0.0.1"})
class RedisDownTest extends UnreachableBrokerTest {

    @DynamicPropertySource
    static void closedPort(DynamicPropertyRegistry registry) {
        registry.add("rivulet.redis.port", () -> CLOSED_PORT);
    }

    @Override
    String backend() {
        return "redis";
    }
}
