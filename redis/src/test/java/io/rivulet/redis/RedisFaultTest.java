package io.rivulet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.Broker;
import io.rivulet.core.Message;
import io.rivulet.core.Queue;
import io.rivulet.core.QueueStats;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Faults on the shared test Redis: scripts flushed, many consumers moving delays at once, connections
 * cut. Every message is counted: each one whose publish completed ends acked or dead-lettered.
 */
class RedisFaultTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static TestRedis redis;
    private final List<Broker> brokers = new CopyOnWriteArrayList<>();
    private final List<Disposable> consumers = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void connect() {
        redis = new TestRedis();
    }

    @AfterAll
    static void cleanUp() {
        redis.close();
    }

    @AfterEach
    void close() {
        consumers.forEach(Disposable::dispose);
        brokers.forEach(b -> b.close().block(PATIENCE));
    }

    private Broker broker(RedisOptions options) {
        Broker b = RedisBroker.create(options);
        brokers.add(b);
        return b;
    }

    /** Acks everything of {@code q} into {@code acked} (ids), in the background. */
    private void ackAll(Queue<String> q, Set<String> acked, AtomicInteger deliveries) {
        consumers.add(q.consume()
                .flatMap(d -> d.ack().doOnSuccess(v -> {
                    acked.add(d.message().id());
                    deliveries.incrementAndGet();
                }).onErrorResume(e -> Mono.empty()), 64)
                .subscribe());
    }

    @Test
    void scriptsFlushedByRedisAreLoadedAgain() {
        Queue<String> q = broker(redis.options().build()).queue("fault.flush", String.class);
        q.publish("one").block(PATIENCE);
        q.publishDelayed(Message.of("two"), Duration.ofMillis(300)).block(PATIENCE);
        redis.sync().scriptFlush();

        List<String> got = q.consume().concatMap(d -> d.ack().thenReturn(d.message().payload()))
                .take(2).collectList().block(PATIENCE);
        assertThat(got).containsExactly("one", "two");
        redis.sync().scriptFlush();
        assertThat(q.stats().block(PATIENCE).completed()).isEqualTo(2);
    }

    @Test
    void manyConsumersMovingDelaysAtOnceNeitherDuplicateNorLose() {
        int n = 300;
        String topic = "fault.movers";
        Queue<String> producer = broker(redis.options().build()).queue(topic, String.class);
        List<String> ids = producer.publishAll(Flux.range(0, n).map(i -> Message.builder("m" + i)
                        .availableAt(java.time.Instant.now().plusMillis(200 + (i % 10) * 50)).build()))
                .map(r -> r.id()).collectList().block(PATIENCE);
        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicInteger deliveries = new AtomicInteger();
        for (int c = 0; c < 4; c++) {
            // A broker each: separate connections and consumer names, each running the mover.
            ackAll(broker(redis.options().pollInterval(Duration.ofMillis(20)).build()).queue(topic, String.class),
                    acked, deliveries);
        }

        RedisCrashTest.awaitCondition(() -> acked.size() == n);
        assertThat(acked).containsExactlyInAnyOrderElementsOf(ids);
        QueueStats stats = producer.stats().block(PATIENCE);
        assertThat(stats.completed()).isEqualTo(n);
        assertThat(deliveries.get()).as("each message delivered once").isEqualTo(n);
        assertThat(stats.pending()).isZero();
    }

    @Test
    void cutConnectionsReconnectAndNothingPublishedIsLost() throws Exception {
        String name = "rivulet-cut-" + UUID.randomUUID().toString().substring(0, 8);
        RedisOptions options = redis.options().clientName(name).build();
        Queue<String> q = broker(options).queue("fault.cut", String.class);
        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicInteger deliveries = new AtomicInteger();
        ackAll(broker(options).queue("fault.cut", String.class), acked, deliveries);

        Set<String> published = ConcurrentHashMap.newKeySet();
        int n = 600;
        Disposable publisher = Flux.range(0, n)
                .concatMap(i -> q.publish(Message.builder("m" + i).id("m-" + i).build())
                        .retryWhen(Retry.backoff(20, Duration.ofMillis(50)))
                        .doOnNext(r -> published.add(r.id())), 16)
                .subscribe();
        consumers.add(publisher);
        RedisCrashTest.awaitCondition(() -> acked.size() >= n / 3);
        int killed = killClients(name);
        RedisCrashTest.awaitCondition(() -> acked.size() >= 2 * n / 3);
        killed += killClients(name);
        assertThat(killed).as("connections of ours were cut").isGreaterThanOrEqualTo(2);

        RedisCrashTest.awaitCondition(() -> published.size() == n && acked.containsAll(published));
        QueueStats stats = q.stats().block(PATIENCE);
        assertThat(acked).hasSize(n);
        assertThat(stats.dead()).isZero();
        assertThat(stats.completed()).isGreaterThanOrEqualTo(n);
    }

    /** Cuts every connection named {@code name} ({@code CLIENT KILL ID}); returns how many. */
    private static int killClients(String name) {
        int killed = 0;
        for (String line : redis.sync().clientList().split("\n")) {
            if (line.contains(" name=" + name + " ")) {
                String id = line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id=")));
                killed += redis.sync().clientKill(io.lettuce.core.KillArgs.Builder.id(Long.parseLong(id))).intValue();
            }
        }
        return killed;
    }

    @Test
    void redisRestartedMidStreamLosesNothingWhosePublishCompleted() throws Exception {
        try (PrivateRedis server = new PrivateRedis("--requirepass", "restart-secret")) {
            RedisOptions options = RedisOptions.builder().host("127.0.0.1").port(server.port)
                    .password("restart-secret").keyPrefix("restart:").visibilityTimeout(Duration.ofSeconds(2))
                    .pollInterval(Duration.ofMillis(100)).commandTimeout(Duration.ofSeconds(5)).build();
            Queue<String> q = broker(options).queue("fault.restart", String.class);
            Set<String> acked = ConcurrentHashMap.newKeySet();
            AtomicInteger deliveries = new AtomicInteger();
            ackAll(broker(options).queue("fault.restart", String.class), acked, deliveries);

            Set<String> published = ConcurrentHashMap.newKeySet();
            AtomicInteger failedPublishes = new AtomicInteger();
            int n = 400;
            Disposable publisher = Flux.range(0, n)
                    .concatMap(i -> q.publish(Message.builder("m" + i).id("m-" + i).build())
                            .doOnError(e -> failedPublishes.incrementAndGet())
                            .retryWhen(Retry.backoff(50, Duration.ofMillis(50)).maxBackoff(Duration.ofMillis(500)))
                            .doOnNext(r -> published.add(r.id())), 8)
                    .subscribe();
            consumers.add(publisher);
            RedisCrashTest.awaitCondition(() -> acked.size() >= n / 4);
            server.kill();
            server.start();

            RedisCrashTest.awaitCondition(() -> published.size() == n && acked.containsAll(published));
            QueueStats stats = q.stats().block(PATIENCE);
            assertThat(acked).hasSize(n);
            assertThat(stats.pending()).isZero();
            assertThat(stats.dead()).isZero();
        }
    }

    @Test
    void wrongPasswordOnAPrivateServerIsRefusedClearly() throws Exception {
        try (PrivateRedis server = new PrivateRedis("--requirepass", "the-secret")) {
            Queue<String> q = broker(RedisOptions.builder().host("127.0.0.1").port(server.port).password("nope")
                    .build()).queue("fault.auth", String.class);
            reactor.test.StepVerifier.create(q.publish("x"))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisBackendException.class)
                            .hasMessageContaining("127.0.0.1:" + server.port)
                            .hasMessageContaining("RedisOptions.password")
                            .hasMessageNotContaining("nope"))
                    .verify(PATIENCE);
            Queue<String> none = broker(RedisOptions.builder().host("127.0.0.1").port(server.port).build())
                    .queue("fault.auth", String.class);
            reactor.test.StepVerifier.create(none.publish("x"))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisBackendException.class)
                            .hasMessageContaining("127.0.0.1:" + server.port)
                            .hasMessageContaining("RedisOptions.password"))
                    .verify(PATIENCE);
        }
    }
}
