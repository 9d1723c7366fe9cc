package io.rivulet.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rivulet.core.Message;
import io.rivulet.core.spi.BackendDelivery;
import io.rivulet.core.spi.DeadLetterRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The settle-once guard and the settlement meters of the delivery users see. */
class DefaultDeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final BrokerMetrics.TopicMeters meters = new BrokerMetrics.TopicMeters(
            counter("published"), counter("consumed"), counter("acked"), counter("nacked"), counter("dead"),
            Timer.builder("ok").register(registry), Timer.builder("failed").register(registry));

    private Counter counter(String name) {
        return Counter.builder(name).register(registry);
    }

    /** A backend delivery recording the settlements core subscribes to; fails them on request. */
    private static class Recorded implements BackendDelivery {
        final List<String> assembled = new CopyOnWriteArrayList<>();
        final List<String> done = new CopyOnWriteArrayList<>();
        RuntimeException failure;

        public Message<byte[]> message() {
            return Message.builder(new byte[0]).id("m").attempt(1).build();
        }

        public Mono<Void> ack() {
            return settlement("ack");
        }

        public Mono<Void> nack(Duration delay, int nextAttempt) {
            return settlement("nack " + delay.toMillis() + " " + nextAttempt);
        }

        public Mono<Void> deadLetter(DeadLetterRecord record) {
            return settlement("dead " + record.reason());
        }

        public Mono<Void> release() {
            return settlement("release");
        }

        public Mono<Void> drop() {
            return settlement("drop");
        }

        private Mono<Void> settlement(String what) {
            assembled.add(what);
            return Mono.defer(() -> failure != null ? Mono.error(failure) : Mono.fromRunnable(() -> done.add(what)));
        }
    }

    private DefaultDelivery<String> delivery(Recorded raw, Mono<Void> beforeAck) {
        return new DefaultDelivery<>(Message.builder("p").id("m").attempt(1).build(), raw, meters, beforeAck);
    }

    @Test
    void settlementsDoNothingBeforeSubscription() {
        Recorded raw = new Recorded();
        DefaultDelivery<String> d = delivery(raw, null);

        d.ack();
        d.nack(Duration.ZERO);
        d.deadLetter("why", null);

        assertThat(raw.assembled).isEmpty();
        assertThat(d.isSettled()).isFalse();
        assertThat(meters.acked().count()).isZero();
    }

    @Test
    void ackSettlesOnceAndCountsOnce() {
        Recorded raw = new Recorded();
        DefaultDelivery<String> d = delivery(raw, null);
        Mono<Void> ack = d.ack();

        StepVerifier.create(ack).expectComplete().verify(WAIT);
        StepVerifier.create(ack).expectComplete().verify(WAIT);
        StepVerifier.create(d.nack(Duration.ofSeconds(1))).expectComplete().verify(WAIT);
        StepVerifier.create(d.deadLetter("late", null)).expectComplete().verify(WAIT);

        assertThat(d.isSettled()).isTrue();
        assertThat(raw.done).containsExactly("ack");
        assertThat(meters.acked().count()).isEqualTo(1);
        assertThat(meters.nacked().count()).isZero();
        assertThat(meters.deadLettered().count()).isZero();
    }

    @Test
    void nackAndDeadLetterPassTheirArgumentsAndCountOnSuccess() {
        Recorded nacked = new Recorded();
        Recorded dead = new Recorded();

        StepVerifier.create(delivery(nacked, null).redeliver(Duration.ofMillis(250), 4)).expectComplete().verify(WAIT);
        StepVerifier.create(delivery(dead, null).deadLetter("poison", new IllegalStateException("bad"), 3))
                .expectComplete().verify(WAIT);

        assertThat(nacked.done).containsExactly("nack 250 4");
        assertThat(dead.done).containsExactly("dead poison");
        assertThat(meters.nacked().count()).isEqualTo(1);
        assertThat(meters.deadLettered().count()).isEqualTo(1);
    }

    @Test
    void failedSettlementPropagatesItsErrorUncountedAndStaysSettled() {
        Recorded raw = new Recorded();
        raw.failure = new IllegalStateException("backend down");
        DefaultDelivery<String> d = delivery(raw, null);

        StepVerifier.create(d.ack()).expectErrorMessage("backend down").verify(WAIT);
        StepVerifier.create(d.ack()).expectComplete().verify(WAIT);

        assertThat(d.isSettled()).isTrue();
        assertThat(meters.acked().count()).isZero();
    }

    @Test
    void backendThrowingOnAssemblyFailsTheSettlement() {
        BackendDelivery throwing = new Recorded() {
            @Override
            public Mono<Void> ack() {
                throw new IllegalStateException("no connection");
            }
        };
        DefaultDelivery<String> d = new DefaultDelivery<>(Message.of("p"), throwing, meters, null);

        StepVerifier.create(d.ack()).expectErrorMessage("no connection").verify(WAIT);
        assertThat(meters.acked().count()).isZero();
    }

    @Test
    void ackRunsBeforeAckFirst() {
        Recorded raw = new Recorded();
        List<String> order = new CopyOnWriteArrayList<>();
        Mono<Void> beforeAck = Mono.fromRunnable(() -> order.add("dedup mark"));
        DefaultDelivery<String> d = delivery(raw, beforeAck);

        StepVerifier.create(d.ack().doOnSuccess(v -> order.add("acked " + raw.done))).expectComplete().verify(WAIT);

        assertThat(order).containsExactly("dedup mark", "acked [ack]");
        assertThat(meters.acked().count()).isEqualTo(1);
    }

    @Test
    void cancellingBeforeCompletionDoesNotCount() {
        Recorded raw = new Recorded() {
            @Override
            public Mono<Void> ack() {
                return Mono.never();
            }
        };
        DefaultDelivery<String> d = delivery(raw, null);

        StepVerifier.create(d.ack()).thenCancel().verify(WAIT);

        assertThat(d.isSettled()).isTrue();
        assertThat(meters.acked().count()).isZero();
    }

    @Test
    void releaseAndDropAreSettlementsToo() {
        Recorded released = new Recorded();
        DefaultDelivery<String> r = delivery(released, null);
        r.release().block();
        r.ack().block();
        assertThat(released.done).containsExactly("release");
        assertThat(meters.acked().count()).isZero();

        Recorded dropped = new Recorded();
        DefaultDelivery<String> d = delivery(dropped, null);
        d.drop().block();
        d.nack(Duration.ZERO).block();
        assertThat(dropped.done).containsExactly("drop");
        assertThat(meters.deadLettered().count()).isEqualTo(1.0);
        assertThat(meters.nacked().count()).isZero();
    }
}
