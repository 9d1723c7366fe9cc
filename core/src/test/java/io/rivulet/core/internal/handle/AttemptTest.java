package io.rivulet.core.internal.handle;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.Delivery;
import io.rivulet.core.Handle;
import io.rivulet.core.HandleOptions;
import io.rivulet.core.Outcome;
import io.rivulet.core.RetryPolicy;
import io.rivulet.core.internal.handle.PlainDeliveryTest.Recorded;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The hand-written run of a handler and settlement of its delivery: the edges operators would have covered. */
class AttemptTest {

    private static final Duration PATIENCE = Duration.ofSeconds(5);
    private static final HandleOptions ONE_ATTEMPT = HandleOptions.builder()
            .retryPolicy(RetryPolicy.builder().maxAttempts(1).build()).build();

    @Test
    void handlerReturningNullIsAFailedAttemptThatSaysSo() {
        Recorded d = new Recorded("n", 1);
        StepVerifier.create(Flux.<Delivery<String>>just(d).transform(Handle.concurrently(m -> null, ONE_ATTEMPT)))
                .assertNext(o -> {
                    assertThat(o.status()).isEqualTo(Outcome.Status.DEAD_LETTERED);
                    assertThat(o.error()).isInstanceOf(NullPointerException.class)
                            .hasMessageContaining("handler returned null");
                })
                .expectComplete()
                .verify(PATIENCE);
        assertThat(d.settlements).containsExactly("dead max attempts exhausted");
    }

    @Test
    void handlerEmittingAValueIsASuccess() {
        Recorded d = new Recorded("v", 1);
        StepVerifier.create(Flux.<Delivery<String>>just(d).transform(Handle.concurrently(m -> Mono.just(42),
                        ONE_ATTEMPT)).map(Outcome::status))
                .expectNext(Outcome.Status.ACKED)
                .expectComplete()
                .verify(PATIENCE);
        assertThat(d.settlements).containsExactly("ack");
    }

    @Test
    void cancellingTheStreamCancelsTheRunningHandlerAndSettlesNothing() {
        Recorded d = new Recorded("c", 1);
        AtomicBoolean cancelled = new AtomicBoolean();
        Disposable run = Flux.<Delivery<String>>just(d)
                .transform(Handle.concurrently(m -> Mono.never().doOnCancel(() -> cancelled.set(true)), ONE_ATTEMPT))
                .subscribe();
        run.dispose();
        assertThat(cancelled).isTrue();
        assertThat(d.settlements).isEmpty();
    }

    @Test
    void cancellingWhileSettlingCancelsTheSettlement() {
        AtomicBoolean cancelled = new AtomicBoolean();
        Recorded d = new Recorded("s", 1) {
            @Override
            public Mono<Void> ack() {
                return Mono.<Void>never().doOnCancel(() -> cancelled.set(true));
            }
        };
        Disposable run = Flux.<Delivery<String>>just(d)
                .transform(Handle.concurrently(m -> Mono.empty(), ONE_ATTEMPT))
                .subscribe();
        run.dispose();
        assertThat(cancelled).isTrue();
    }

    @Test
    void eachSubscriptionRunsTheHandlerAgain() {
        AtomicInteger runs = new AtomicInteger();
        HandleSettings<String> settings = HandleSettings.of(ONE_ATTEMPT);
        Mono<Object> attempt = Attempt.run(() -> {
            runs.incrementAndGet();
            return Mono.empty();
        }, "empty", null, settings, null, List.of());
        StepVerifier.create(attempt).expectNext("empty").verifyComplete();
        StepVerifier.create(attempt).expectNext("empty").verifyComplete();
        assertThat(runs).hasValue(2);
    }

    @Test
    void failedRunIsAValueNotAnError() {
        HandleSettings<String> settings = HandleSettings.of(ONE_ATTEMPT);
        IllegalStateException boom = new IllegalStateException("boom");
        StepVerifier.create(Attempt.run(() -> Mono.error(boom), "x", null, settings, null, List.of()))
                .assertNext(r -> assertThat(r).isEqualTo(new Attempt.Failure(boom)))
                .verifyComplete();
    }
}
