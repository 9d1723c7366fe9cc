package io.rivulet.samples.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rivulet.core.Worker;
import io.rivulet.samples.service.web.ReadinessProbe.Readiness;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

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

    @Autowired
    private WebTestClient http;

    @Test
    void consumersEndFailedAndStayFailed() {
        Readiness r = await().atMost(ServiceClient.PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> http.get().uri("/ready").exchange().expectStatus().isEqualTo(503)
                        .expectBody(Readiness.class).returnResult().getResponseBody(),
                        ready -> ready.consumers().values().stream().allMatch(s -> s == Worker.Status.FAILED));
        assertThat(r.problems()).contains("consumer of 'email.send' is FAILED");
    }

    @Override
    String backend() {
        return "redis";
    }
}
