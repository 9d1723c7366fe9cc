package io.rivulet.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.Message;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** How often {@link BurstClock} reads the clock, and that it maps and fails like {@code map}. */
class BurstClockTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final AtomicInteger reads = new AtomicInteger();
    // Each reading is a distinct instant, so a test can tell which messages shared one.
    private final Supplier<Instant> clock = () -> Instant.ofEpochMilli(reads.incrementAndGet());

    private static Flux<Message<String>> messages(int n) {
        return Flux.range(0, n).map(i -> Message.of("m" + i));
    }

    @Test
    void aSynchronousBurstSharesOneReadingPerSixteenMessages() {
        StepVerifier.create(new BurstClock<String, Instant>(messages(40), clock, (m, now) -> now))
                .expectNextCount(16)
                .expectNext(Instant.ofEpochMilli(2))
                .expectNextCount(15)
                .expectNext(Instant.ofEpochMilli(3))
                .expectNextCount(7)
                .expectComplete()
                .verify(WAIT);
        assertThat(reads).hasValue(3);
    }

    @Test
    void messagesEmittedOutsideARequestEachReadTheClock() {
        Sinks.Many<Message<String>> source = Sinks.many().unicast().onBackpressureBuffer();
        StepVerifier.create(new BurstClock<String, Instant>(source.asFlux(), clock, (m, now) -> now))
                .expectSubscription()
                .then(() -> {
                    for (int i = 0; i < 5; i++) {
                        source.tryEmitNext(Message.of("m" + i)).orThrow();
                    }
                    source.tryEmitComplete().orThrow();
                })
                .expectNext(Instant.ofEpochMilli(1), Instant.ofEpochMilli(2), Instant.ofEpochMilli(3),
                        Instant.ofEpochMilli(4), Instant.ofEpochMilli(5))
                .expectComplete()
                .verify(WAIT);
        assertThat(reads).hasValue(5);
    }

    @Test
    void aMessageWithItsOwnCreationTimeReadsNoClock() {
        Instant own = Instant.parse("2026-01-01T00:00:00Z");
        Message<String> m = Message.builder("x").createdAt(own).build();
        StepVerifier.create(new BurstClock<String, String>(Flux.just(m), clock,
                        (msg, now) -> String.valueOf(now)))
                .expectNext("null")
                .expectComplete()
                .verify(WAIT);
        assertThat(reads).hasValue(0);
    }

    @Test
    void aFailingMapperEndsTheStreamWithItsErrorAndCancelsTheSource() {
        AtomicBoolean cancelled = new AtomicBoolean();
        Flux<Message<String>> source = messages(10).doOnCancel(() -> cancelled.set(true));
        StepVerifier.create(new BurstClock<String, String>(source, clock, (m, now) -> {
                    if (m.payload().equals("m2")) {
                        throw new IllegalStateException("cannot encode m2");
                    }
                    return m.payload();
                }))
                .expectNext("m0", "m1")
                .expectErrorMessage("cannot encode m2")
                .verify(WAIT);
        assertThat(cancelled).isTrue();
    }
}
