package io.rivulet.core.kit;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.BatchOptions;
import io.rivulet.core.DeadLetter;
import io.rivulet.core.Delivery;
import io.rivulet.core.HandleOptions;
import io.rivulet.core.Message;
import io.rivulet.core.Outcome;
import io.rivulet.core.Queue;
import io.rivulet.core.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * Helpers of the operator contracts: options on the fixture's clock, a running pipeline that
 * records its outcomes, and bounded waits on conditions that also let the fixture's time pass.
 */
public interface OperatorKitSupport extends KitSupport {

    /** The scheduler every timed operator and handler of a test runs on. */
    default Scheduler timers() {
        return fixture().clock().scheduler();
    }

    /** The fixture clock's current time in milliseconds. */
    default long nowMillis() {
        return timers().now(TimeUnit.MILLISECONDS);
    }

    /** Handle options on the fixture's clock. */
    default HandleOptions.Builder handleOptions() {
        return HandleOptions.builder().scheduler(timers());
    }

    /** Batch options on the fixture's clock, one batch at a time. */
    default BatchOptions.Builder batchOptions() {
        return batchOptions(handleOptions().concurrency(1));
    }

    /** Batch options handling batches as {@code handling} says. */
    default BatchOptions.Builder batchOptions(HandleOptions.Builder handling) {
        return BatchOptions.builder().handleOptions(handling.build());
    }

    /** A jitter-free policy, so waits are exact on virtual time. */
    default RetryPolicy exactPolicy(int maxAttempts, Duration initialBackoff, Duration inProcessLimit) {
        return RetryPolicy.builder().maxAttempts(maxAttempts).initialBackoff(initialBackoff)
                .maxBackoff(Duration.ofMinutes(1)).multiplier(2.0).jitter(0).inProcessLimit(inProcessLimit).build();
    }

    /** Consumes {@code queue} through {@code operator} in the background, recording every outcome. */
    default <T> Pipeline<T> run(Queue<T> queue, Function<Flux<Delivery<T>>, Flux<Outcome<T>>> operator) {
        Pipeline<T> p = new Pipeline<>();
        p.subscription = queue.consume().transform(operator)
                .subscribe(p.outcomes::add, p.errors::add);
        return p;
    }

    /** Waits (bounded, in real time) until {@code condition} holds; fails naming {@code what}. */
    default void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + fixture().patience().toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    /**
     * Lets the fixture's time pass in steps of {@code step} until {@code condition} holds (bounded by
     * the fixture's patience in real time); fails naming {@code what}.
     */
    default void advanceUntil(Duration step, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + fixture().patience().toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            fixture().clock().advance(step);
            if (fixture().clock().isVirtual()) {
                // Work triggered by the timers may hop to other threads (blocking handlers).
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
            }
        }
    }

    /** The topic's dead letters, waiting (bounded) until there are {@code n}. */
    default List<DeadLetter> awaitDeadLetters(Queue<?> queue, int n) {
        await(n + " dead letters on " + queue.topic(),
                () -> queue.deadLetters().count().block(fixture().patience()) >= n);
        return queue.deadLetters().list().collectList().block(fixture().patience());
    }

    /** Publishes one message and waits for it. */
    default <T> void publish(Queue<T> queue, Message<T> message) {
        queue.publish(message).block(fixture().patience());
    }

    /** Records the largest value a counter of running things reached. */
    static void trackMax(AtomicInteger running, AtomicInteger max) {
        int now = running.incrementAndGet();
        max.accumulateAndGet(now, Math::max);
    }

    /**
     * A running consumer pipeline and what it emitted.
     *
     * @param <T> the payload type
     */
    final class Pipeline<T> implements AutoCloseable {
        /** Outcomes in emission order. */
        public final List<Outcome<T>> outcomes = new CopyOnWriteArrayList<>();
        /** Errors of the pipeline (expected to stay empty: handler errors never end it). */
        public final List<Throwable> errors = new CopyOnWriteArrayList<>();
        private Disposable subscription;

        /** How many outcomes have the status. */
        public long count(Outcome.Status status) {
            return outcomes.stream().filter(o -> o.status() == status).count();
        }

        /** Stops consuming; checks the pipeline never failed. */
        @Override
        public void close() {
            subscription.dispose();
            assertThat(errors).as("pipeline errors").isEmpty();
        }
    }
}
