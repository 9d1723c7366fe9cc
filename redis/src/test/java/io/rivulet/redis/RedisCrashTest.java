package io.rivulet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.Broker;
import io.rivulet.core.ConsumeOptions;
import io.rivulet.core.Delivery;
import io.rivulet.core.Message;
import io.rivulet.core.Queue;
import io.rivulet.core.QueueStats;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * At-least-once on Redis: what a consumer took and never settled comes back to a live consumer after
 * the visibility timeout (XAUTOCLAIM), with its attempt increased, whether the consumer's process was
 * killed or its subscription disposed.
 */
class RedisCrashTest {

    private static final Duration VISIBILITY = Duration.ofSeconds(2);
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static TestRedis redis;
    private final List<Broker> brokers = new ArrayList<>();
    private Process holder;

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
        if (holder != null) {
            holder.destroyForcibly();
        }
        brokers.forEach(b -> b.close().block(PATIENCE));
    }

    private Broker broker() {
        Broker b = RedisBroker.create(redis.options().visibilityTimeout(VISIBILITY).build());
        brokers.add(b);
        return b;
    }

    private static List<String> publish(Queue<String> q, int n) {
        return q.publishAll(Flux.range(0, n).map(i -> Message.of("job " + i)))
                .map(r -> r.id()).collectList().block(PATIENCE);
    }

    @Test
    void messagesHeldByAKilledProcessAreClaimedByALiveConsumerAfterTheVisibilityTimeout() throws Exception {
        String topic = "crash.killed";
        Queue<String> q = broker().queue(topic, String.class);
        List<String> ids = publish(q, 5);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HoldingConsumer.class.getName(), redis.prefix, topic, "3", Long.toString(VISIBILITY.toMillis()))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                for (String l = out.readLine(); l != null; l = out.readLine()) {
                    if (l.startsWith("HOLDING ")) {
                        return l.substring("HOLDING ".length());
                    }
                }
                return null;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String heldLine = line.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(heldLine).as("the consumer process said what it holds").isNotNull();
        Set<String> held = Set.of(heldLine.split(","));
        assertThat(held).hasSize(3).isSubsetOf(ids);
        assertThat(q.stats().block(PATIENCE).inFlight()).isEqualTo(3);

        holder.destroyForcibly();
        assertThat(holder.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

        List<Delivery<String>> got = q.consume()
                .concatMap(d -> d.ack().thenReturn(d))
                .take(5)
                .collectList()
                .block(PATIENCE.plus(VISIBILITY));
        assertThat(got).extracting(d -> d.message().id()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(got).filteredOn(d -> held.contains(d.message().id()))
                .allSatisfy(d -> assertThat(d.message().attempt()).isEqualTo(2));
        assertThat(got).filteredOn(d -> !held.contains(d.message().id()))
                .allSatisfy(d -> assertThat(d.message().attempt()).isEqualTo(1));
        QueueStats stats = q.stats().block(PATIENCE);
        assertThat(stats.completed()).isEqualTo(5);
        assertThat(stats.pending()).isZero();
    }

    @Test
    void messagesOfADisposedSubscriptionComeBackAfterTheVisibilityTimeout() {
        Queue<String> q = broker().queue("crash.disposed", String.class);
        List<String> ids = publish(q, 4);
        Set<String> held = ConcurrentHashMap.newKeySet();
        Disposable lost = q.consume(ConsumeOptions.builder().prefetch(4).build())
                .subscribe(d -> held.add(d.message().id()));
        awaitCondition(() -> held.size() == 4);
        lost.dispose();

        Queue<String> other = broker().queue("crash.disposed", String.class);
        long start = System.nanoTime();
        List<Delivery<String>> got = other.consume()
                .concatMap(d -> d.ack().thenReturn(d))
                .take(4)
                .collectList()
                .block(PATIENCE.plus(VISIBILITY));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(got).extracting(d -> d.message().id()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(got).allSatisfy(d -> assertThat(d.message().attempt()).isEqualTo(2));
        assertThat(tookMs).as("not claimed before the visibility timeout").isGreaterThanOrEqualTo(1000);
    }

    @Test
    void aSettlementAfterTheMessageWasClaimedElsewhereHasNoEffect() {
        Queue<String> q = broker().queue("crash.stale", String.class);
        publish(q, 1);
        Delivery<String> slow = q.consume().next().block(PATIENCE);
        Delivery<String> again = broker().queue("crash.stale", String.class).consume().next()
                .block(PATIENCE.plus(VISIBILITY));
        assertThat(again.message().attempt()).isEqualTo(2);

        slow.nack().block(PATIENCE); // stale: must not put a second copy back
        again.ack().block(PATIENCE);
        QueueStats stats = q.stats().block(PATIENCE);
        assertThat(stats.pending()).isZero();
        assertThat(stats.retried()).isZero();
        assertThat(stats.completed()).isEqualTo(1);
    }

    @Test
    void acksThatGoOutTogetherAreEachFencedByTheirOwnDelivery() {
        Queue<String> q = broker().queue("crash.batch", String.class);
        publish(q, 3);
        List<Delivery<String>> held = q.consume(ConsumeOptions.builder().prefetch(3).build()).take(3)
                .collectList().block(PATIENCE);
        Delivery<String> claimed = broker().queue("crash.batch", String.class)
                .consume(ConsumeOptions.builder().prefetch(1).build()).next()
                .block(PATIENCE.plus(VISIBILITY));
        assertThat(claimed.message().attempt()).isEqualTo(2);
        Delivery<String> stale = held.stream().filter(d -> d.message().id().equals(claimed.message().id()))
                .findFirst().orElseThrow();
        List<Delivery<String>> current = held.stream().filter(d -> d != stale).toList();

        // The first ack goes out alone; the two that come while it is under way go out in one call.
        Mono.when(current.get(0).ack(), stale.ack(), current.get(1).ack()).block(PATIENCE);
        QueueStats stats = q.stats().block(PATIENCE);
        assertThat(stats.completed()).as("only the current deliveries were acked").isEqualTo(2);
        assertThat(stats.pending()).as("the claimed one is still held by its new consumer").isEqualTo(1);

        claimed.ack().block(PATIENCE);
        stats = q.stats().block(PATIENCE);
        assertThat(stats.completed()).isEqualTo(3);
        assertThat(stats.pending()).isZero();
        assertThat(stats.ready()).isZero();
    }

    static void awaitCondition(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within " + PATIENCE).isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    static Set<String> idsOf(List<Delivery<String>> ds) {
        return ds.stream().map(d -> d.message().id()).collect(Collectors.toSet());
    }
}
