package io.rivulet.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.Broker;
import io.rivulet.core.ConsumeOptions;
import io.rivulet.core.Delivery;
import io.rivulet.core.Queue;
import io.rivulet.core.internal.memory.MemoryBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The memory backend's hand-written consumer subscription: demand, cancellation and completion on
 * close, signalled only from the topic's drain loop.
 */
class MemoryConsumerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final String TOPIC = "consumer.jobs";

    private final VirtualTimeScheduler vts = VirtualTimeScheduler.create();
    private final Broker broker = MemoryBroker.create(MemoryOptions.builder().scheduler(vts).build());
    private final Queue<Integer> queue = broker.queue(TOPIC, Integer.class);

    @AfterEach
    void close() {
        broker.close().block(PATIENCE);
        vts.dispose();
    }

    private void publish(int from, int to) {
        for (int i = from; i <= to; i++) {
            queue.publish(i).block(PATIENCE);
        }
    }

    @Test
    void emitsNoMoreThanRequested() {
        publish(1, 5);
        StepVerifier.create(queue.consume(ConsumeOptions.defaults()).map(d -> d.message().payload()), 0)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(50))
                .thenRequest(2)
                .expectNext(1, 2)
                .expectNoEvent(Duration.ofMillis(50))
                .thenRequest(1)
                .expectNext(3)
                .thenCancel()
                .verify(PATIENCE);
    }

    @Test
    void closingTheBrokerCompletesAWaitingConsumer() {
        StepVerifier.create(queue.consume(ConsumeOptions.defaults()))
                .expectSubscription()
                .then(() -> broker.close().block(PATIENCE))
                .expectComplete()
                .verify(PATIENCE);
    }

    @Test
    void aBackendConsumerAfterCloseCompletesAtOnce() {
        MemoryBackend backend = new MemoryBackend(MemoryOptions.builder().scheduler(vts).build());
        backend.close().block(PATIENCE);
        StepVerifier.create(backend.consume(TOPIC, 8)).expectComplete().verify(PATIENCE);
    }

    @Test
    void aCancelledConsumerGetsNothingMoreAndAnotherOneGetsTheRest() throws InterruptedException {
        publish(1, 3);
        AtomicReference<Delivery<Integer>> first = new AtomicReference<>();
        CountDownLatch got = new CountDownLatch(1);
        queue.consume(ConsumeOptions.defaults()).subscribe(new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription s) {
                s.request(1);
            }

            @Override
            protected void hookOnNext(Delivery<Integer> d) {
                first.set(d);
                cancel();
                got.countDown();
            }
        });
        assertThat(got.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(first.get().message().payload()).isEqualTo(1);
        StepVerifier.create(queue.consume(ConsumeOptions.defaults()).map(d -> d.message().payload()))
                .expectNext(2, 3)
                .thenCancel()
                .verify(PATIENCE);
        StepVerifier.create(first.get().ack()).expectComplete().verify(PATIENCE);
        assertThat(queue.stats().block(PATIENCE).completed()).isEqualTo(1);
    }

    @Test
    void publishesWhileTheConsumerIsAtItsPrefetchArriveInOrderAsItAcks() {
        publish(1, 1);
        AtomicReference<Delivery<Integer>> held = new AtomicReference<>();
        StepVerifier.create(queue.consume(ConsumeOptions.builder().prefetch(1).build()))
                .assertNext(d -> {
                    assertThat(d.message().payload()).isEqualTo(1);
                    held.set(d);
                })
                .then(() -> {
                    // The consumer is at its prefetch: these offers wait for the pass its ack starts.
                    publish(2, 4);
                    assertThat(queue.stats().block(PATIENCE))
                            .extracting(s -> s.ready(), s -> s.inFlight())
                            .containsExactly(3L, 1L);
                    held.get().ack().block(PATIENCE);
                })
                .assertNext(d -> ackPayload(d, 2))
                .assertNext(d -> ackPayload(d, 3))
                .assertNext(d -> ackPayload(d, 4))
                .thenCancel()
                .verify(PATIENCE);
        assertThat(queue.stats().block(PATIENCE).completed()).isEqualTo(4);
    }

    private static void ackPayload(Delivery<Integer> d, int expected) {
        assertThat(d.message().payload()).isEqualTo(expected);
        d.ack().block(PATIENCE);
    }

    @Test
    void aRequestOfZeroIsIgnoredNotFatal() {
        publish(1, 1);
        AtomicReference<Subscription> subscription = new AtomicReference<>();
        StepVerifier.create(queue.consume(ConsumeOptions.defaults())
                        .doOnSubscribe(subscription::set)
                        .map(d -> d.message().payload()), 0)
                .expectSubscription()
                .then(() -> subscription.get().request(0))
                .expectNoEvent(Duration.ofMillis(50))
                .thenRequest(1)
                .expectNext(1)
                .thenCancel()
                .verify(PATIENCE);
    }

    // Acks of a consumer without demand wait on the topic's ack stack (no drain pass per ack) until
    // its next request, or until stats, expiry or a settlement applies them.

    @Test
    void acksMadeWithoutDemandFreeRoomOnTheNextRequest() {
        publish(1, 4);
        List<Delivery<Integer>> first = new ArrayList<>();
        StepVerifier.create(queue.consume(ConsumeOptions.builder().prefetch(2).build()), 0)
                .expectSubscription()
                .thenRequest(2)
                .recordWith(() -> first)
                .expectNextCount(2)
                .then(() -> {
                    assertThat(first).extracting(d -> d.message().payload()).containsExactly(1, 2);
                    // Demand is 0 now: these acks wait for the request below.
                    List.copyOf(first).forEach(d -> d.ack().block(PATIENCE));
                })
                .expectNoEvent(Duration.ofMillis(50))
                .thenRequest(2)
                .assertNext(d -> ackPayload(d, 3))
                .assertNext(d -> ackPayload(d, 4))
                .thenCancel()
                .verify(PATIENCE);
        assertThat(queue.stats().block(PATIENCE).completed()).isEqualTo(4);
    }

    @Test
    void acksMadeWithoutDemandShowInStatsAtOnce() {
        publish(1, 3);
        List<Delivery<Integer>> taken = new ArrayList<>();
        StepVerifier.create(queue.consume(ConsumeOptions.builder().prefetch(2).build()), 2)
                .recordWith(() -> taken)
                .expectNextCount(2)
                .then(() -> {
                    List.copyOf(taken).forEach(d -> d.ack().block(PATIENCE));
                    assertThat(queue.stats().block(PATIENCE))
                            .extracting(s -> s.ready(), s -> s.inFlight(), s -> s.completed())
                            .containsExactly(1L, 0L, 2L);
                })
                .thenCancel()
                .verify(PATIENCE);
    }

    @Test
    void acksMadeWithoutDemandAreNeverRedeliveredAfterTheVisibilityTimeout() {
        publish(1, 3);
        List<Delivery<Integer>> taken = new ArrayList<>();
        StepVerifier.create(queue.consume(ConsumeOptions.builder().prefetch(2).build()), 0)
                .expectSubscription()
                .thenRequest(2)
                .recordWith(() -> taken)
                .expectNextCount(2)
                .then(() -> {
                    List.copyOf(taken).forEach(d -> d.ack().block(PATIENCE));
                    vts.advanceTimeBy(MemoryOptions.DEFAULT_VISIBILITY_TIMEOUT.multipliedBy(2));
                })
                .thenRequest(5)
                .assertNext(d -> ackPayload(d, 3))
                .expectNoEvent(Duration.ofMillis(50))
                .thenCancel()
                .verify(PATIENCE);
        assertThat(queue.stats().block(PATIENCE))
                .extracting(s -> s.ready(), s -> s.inFlight(), s -> s.completed())
                .containsExactly(0L, 0L, 3L);
    }
}
