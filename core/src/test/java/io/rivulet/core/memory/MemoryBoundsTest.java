package io.rivulet.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.Broker;
import io.rivulet.core.BrokerClosedException;
import io.rivulet.core.ConsumeOptions;
import io.rivulet.core.Delivery;
import io.rivulet.core.JsonCodec;
import io.rivulet.core.Message;
import io.rivulet.core.PublishResult;
import io.rivulet.core.Queue;
import io.rivulet.core.QueueFullException;
import io.rivulet.core.QueueOptions;
import io.rivulet.core.QueueStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The in-memory backend's bound ({@link MemoryOptions#maxQueueSize()}, both overflows) and visibility timeout. */
class MemoryBoundsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);
    /** How long a publish that must wait is watched for not completing. */
    private static final Duration STILL_WAITING = Duration.ofMillis(200);
    private static final String TOPIC = "bounds.jobs";

    private final List<Broker> brokers = new ArrayList<>();
    private VirtualTimeScheduler vts;

    @BeforeEach
    void open() {
        vts = VirtualTimeScheduler.create();
    }

    @AfterEach
    void close() {
        brokers.forEach(b -> b.close().block(PATIENCE));
        vts.dispose();
    }

    private Broker broker(MemoryOptions.Builder options) {
        // Virtual time unless a test advances it: no visibility timeout fires behind a test's back.
        Broker b = MemoryBroker.create(options.scheduler(vts).build());
        brokers.add(b);
        return b;
    }

    private Queue<Integer> boundedQueue(MemoryOptions.Overflow overflow) {
        return broker(MemoryOptions.builder().maxQueueSize(3).overflow(overflow)).queue(TOPIC, Integer.class);
    }

    private static void publish(Queue<Integer> queue, int from, int to) {
        for (int i = from; i <= to; i++) {
            StepVerifier.create(queue.publish(i)).expectNextCount(1).expectComplete().verify(PATIENCE);
        }
    }

    private static QueueStats stats(Queue<?> queue) {
        return queue.stats().block(PATIENCE);
    }

    /** Takes {@code n} deliveries without settling them. */
    private static List<Delivery<Integer>> take(Queue<Integer> queue, int n) {
        List<Delivery<Integer>> taken = queue.consume(ConsumeOptions.builder().prefetch(n).build())
                .take(n)
                .collectList()
                .block(PATIENCE);
        assertThat(taken).hasSize(n);
        return taken;
    }

    private static List<Integer> payloads(List<Delivery<Integer>> deliveries) {
        return deliveries.stream().map(d -> d.message().payload()).toList();
    }

    // ---- Overflow.FAIL ---------------------------------------------------------------------

    @Test
    void publishBeyondTheBoundFailsNamingTheOptionAndStoresNothing() {
        Queue<Integer> queue = boundedQueue(MemoryOptions.Overflow.FAIL);
        publish(queue, 1, 3);

        StepVerifier.create(queue.publish(4))
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(QueueFullException.class)
                        .hasMessageContaining("MemoryOptions.maxQueueSize")
                        .hasMessageContaining(TOPIC))
                .verify(PATIENCE);

        QueueStats stats = stats(queue);
        assertThat(stats.ready()).isEqualTo(3);
        assertThat(stats.pending()).isEqualTo(3);
        assertThat(payloads(take(queue, 3))).containsExactly(1, 2, 3);
    }

    @Test
    void publishSucceedsAgainOnceADeliveryWasTakenAndAcked() {
        Queue<Integer> queue = boundedQueue(MemoryOptions.Overflow.FAIL);
        publish(queue, 1, 3);
        StepVerifier.create(queue.publish(4)).expectError(QueueFullException.class).verify(PATIENCE);

        Delivery<Integer> first = take(queue, 1).get(0);
        StepVerifier.create(first.ack()).expectComplete().verify(PATIENCE);

        StepVerifier.create(queue.publish(5)).expectNextCount(1).expectComplete().verify(PATIENCE);
        assertThat(stats(queue).ready()).isEqualTo(3);
        assertThat(first.message().payload()).isEqualTo(1);
        assertThat(payloads(take(queue, 3))).containsExactly(2, 3, 5);
    }

    // ---- Overflow.BACKPRESSURE -------------------------------------------------------------

    @Test
    void publishIntoAFullQueueWaitsUntilADeliveryIsTaken() {
        Queue<Integer> queue = boundedQueue(MemoryOptions.Overflow.BACKPRESSURE);
        publish(queue, 1, 3);
        List<Delivery<Integer>> taken = new ArrayList<>();

        StepVerifier.create(queue.publish(4))
                .expectSubscription()
                .expectNoEvent(STILL_WAITING)
                .then(() -> {
                    assertThat(stats(queue).ready()).isEqualTo(3);
                    taken.addAll(take(queue, 1));
                })
                .assertNext(r -> assertThat(r.duplicate()).isFalse())
                .expectComplete()
                .verify(PATIENCE);

        assertThat(payloads(taken)).containsExactly(1);
        QueueStats stats = stats(queue);
        assertThat(stats.ready()).isEqualTo(3);
        assertThat(stats.inFlight()).isEqualTo(1);
        assertThat(payloads(take(queue, 3))).containsExactly(2, 3, 4);
    }

    @Test
    void cancelledWaitingPublishIsNeverStored() {
        Queue<Integer> queue = boundedQueue(MemoryOptions.Overflow.BACKPRESSURE);
        publish(queue, 1, 3);

        StepVerifier.create(queue.publish(4))
                .expectSubscription()
                .expectNoEvent(STILL_WAITING)
                .thenCancel()
                .verify(PATIENCE);

        // Taking all three frees room: a publish still waiting would be let in now.
        assertThat(payloads(take(queue, 3))).containsExactly(1, 2, 3);
        QueueStats stats = stats(queue);
        assertThat(stats.ready()).isZero();
        assertThat(stats.inFlight()).isEqualTo(3);
        StepVerifier.create(queue.publish(5)).expectNextCount(1).expectComplete().verify(PATIENCE);
        assertThat(payloads(take(queue, 1))).containsExactly(5);
    }

    @Test
    void publishAllIntoASmallBoundCompletesWhileAConsumerAcks() {
        Queue<Integer> queue = boundedQueue(MemoryOptions.Overflow.BACKPRESSURE);
        CompletableFuture<List<Integer>> consumed = queue.consume()
                .concatMap(d -> d.ack().thenReturn(d.message().payload()))
                .take(10)
                .collectList()
                .toFuture();
        List<Message<Integer>> messages = Flux.range(1, 10).map(Message::of).collectList().block(PATIENCE);
        List<String> ids = messages.stream().map(Message::id).toList();

        StepVerifier.create(queue.publishAll(Flux.fromIterable(messages)).map(PublishResult::id))
                .expectNextSequence(ids)
                .expectComplete()
                .verify(PATIENCE);

        StepVerifier.create(Mono.fromFuture(consumed))
                .assertNext(payloads -> assertThat(payloads).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10))
                .expectComplete()
                .verify(PATIENCE);
        QueueStats stats = stats(queue);
        assertThat(stats.completed()).isEqualTo(10);
        assertThat(stats.pending()).isZero();
    }

    @Test
    void closingTheBrokerFailsWaitingPublishers() {
        Broker broker = broker(MemoryOptions.builder().maxQueueSize(3).overflow(MemoryOptions.Overflow.BACKPRESSURE));
        Queue<Integer> queue = broker.queue(TOPIC, Integer.class);
        publish(queue, 1, 3);

        StepVerifier.create(queue.publish(4))
                .expectSubscription()
                .expectNoEvent(STILL_WAITING)
                .then(() -> broker.close().block(PATIENCE))
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(BrokerClosedException.class)
                        .hasMessageContaining(TOPIC))
                .verify(PATIENCE);
    }

    // ---- visibility timeout ----------------------------------------------------------------

    @Test
    void unsettledDeliveryComesBackAfterTheVisibilityTimeoutAndNotBefore() {
        Queue<Integer> queue = broker(MemoryOptions.builder().visibilityTimeout(Duration.ofSeconds(5)))
                .queue(TOPIC, Integer.class);
        publish(queue, 1, 1);
        String[] firstId = new String[1];

        StepVerifier.withVirtualTime(queue::consume, () -> vts, Long.MAX_VALUE)
                .assertNext(d -> {
                    assertThat(d.message().attempt()).isEqualTo(1);
                    firstId[0] = d.message().id();
                })
                .expectNoEvent(Duration.ofSeconds(4))
                .then(() -> {
                    QueueStats stats = stats(queue);
                    assertThat(stats.inFlight()).isEqualTo(1);
                    assertThat(stats.ready()).isZero();
                })
                .thenAwait(Duration.ofSeconds(1))
                .assertNext(d -> {
                    assertThat(d.message().id()).isEqualTo(firstId[0]);
                    assertThat(d.message().attempt()).isEqualTo(2);
                    assertThat(d.message().payload()).isEqualTo(1);
                })
                .thenCancel()
                .verify(PATIENCE);
    }

    @Test
    void deliveriesTakenLateInALongDrainStillGetTheFullVisibilityTimeout() {
        Queue<Integer> queue = broker(MemoryOptions.builder().visibilityTimeout(Duration.ofSeconds(10)))
                .queue(TOPIC, Integer.class);
        publish(queue, 1, 20);
        AtomicInteger redelivered = new AtomicInteger();
        // Each delivery takes 2 s of (virtual) handling, all within one drain of the topic.
        Disposable consumer = queue.consume(ConsumeOptions.builder().prefetch(1).build())
                .subscribe(d -> {
                    if (d.message().attempt() > 1) {
                        redelivered.incrementAndGet();
                    }
                    vts.advanceTimeBy(Duration.ofSeconds(2));
                    d.ack().block(PATIENCE);
                });
        try {
            assertThat(stats(queue).completed()).isEqualTo(20);
            assertThat(redelivered.get()).isZero();
        } finally {
            consumer.dispose();
        }
    }

    @Test
    void producerDedupKeyIsReleasedWhenTheStoreFails() {
        Queue<Integer> queue = broker(MemoryOptions.builder().maxQueueSize(1))
                .queue(TOPIC, JsonCodec.of(Integer.class),
                        QueueOptions.builder().dedupTtl(Duration.ofMinutes(10)).build());
        StepVerifier.create(queue.publish(Message.builder(1).id("a").build()))
                .assertNext(r -> assertThat(r.duplicate()).isFalse())
                .expectComplete()
                .verify(PATIENCE);
        StepVerifier.create(queue.publish(Message.builder(2).id("b").build()))
                .expectError(QueueFullException.class)
                .verify(PATIENCE);
        take(queue, 1).get(0).ack().block(PATIENCE);

        StepVerifier.create(queue.publish(Message.builder(2).id("b").build()))
                .assertNext(r -> assertThat(r.duplicate()).as("a retry of a failed publish is no duplicate").isFalse())
                .expectComplete()
                .verify(PATIENCE);
        assertThat(stats(queue).ready()).isEqualTo(1);
    }
}
