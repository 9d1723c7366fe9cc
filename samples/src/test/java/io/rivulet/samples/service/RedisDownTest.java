package io.rivulet.samples.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rivulet.core.Worker;
import io.rivulet.samples.service.orders.Order;
import io.rivulet.samples.service.web.ReadinessProbe.Readiness;
import io.rivulet.samples.service.worker.WorkerService;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Redis unreachable: the Redis broker connects lazily, so the service starts; its consumers keep
 * subscribing again with backoff and {@code /ready} answers 503. When a Redis comes up on that
 * port (a {@code redis-server} this test starts), the consumers run again and orders flow, without
 * restarting the service. Runs last: the inherited test needs Redis still down.
 */
@TestPropertySource(properties = {"rivulet.backend=redis", "rivulet.redis.host=127.0.0.1",
        "rivulet.worker.max-restart-backoff=1s"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisDownTest extends UnreachableBrokerTest {

    @DynamicPropertySource
    static void closedPort(DynamicPropertyRegistry registry) {
        registry.add("rivulet.redis.port", () -> CLOSED_PORT);
    }

    @Autowired
    private WebTestClient http;

    @Autowired
    private WorkerService workers;

    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
    void consumersKeepRestartingAndRecoverOnceRedisAnswers() throws Exception {
        await().atMost(ServiceClient.PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> workers.stats().restarts() >= workers.statuses().size());
        assertThat(workers.statuses().values()).allMatch(s -> s == Worker.Status.RUNNING);
        http.get().uri("/ready").exchange().expectStatus().isEqualTo(503);

        Path dir = Files.createDirectories(Path.of("target", "redis-down-test"));
        Process redis = new ProcessBuilder("redis-server", "--port", String.valueOf(CLOSED_PORT),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(new File(dir.toFile(), "redis.log"))
                .start();
        Thread reaper = new Thread(redis::destroyForcibly, "redis-down-test-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        try {
            Readiness ready = await().atMost(ServiceClient.PATIENCE).pollInterval(Duration.ofMillis(200))
                    .until(() -> http.get().uri("/ready").exchange().returnResult(Readiness.class)
                            .getResponseBody().blockFirst(), r -> r != null && r.ready());
            assertThat(ready.consumers().values()).allMatch(s -> s == Worker.Status.RUNNING);

            ServiceClient client = new ServiceClient(http, null);
            Order placed = client.placeOrder("book", 1);
            client.awaitOrder(placed.id(), Order.Status.AWAITING_PAYMENT);
        } finally {
            redis.destroy();
            if (!redis.waitFor(10, TimeUnit.SECONDS)) {
                redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Runtime.getRuntime().removeShutdownHook(reaper);
        }
    }

    @Override
    String backend() {
        return "redis";
    }
}
