package io.rivulet.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.memory.MemoryBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * A worker whose consuming fails subscribes again with backoff (on virtual time), keeps handling
 * what it had taken, and ends only when told to, when its broker closes, or with restarts off.
 */
class WorkerRestartTest {

    private final Broker broker = MemoryBroker.create();
    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

    @AfterEach
    void close() {
        broker.close().block(Duration.ofSeconds(5));
        time.dispose();
    }

    private WorkerOptions.Builder options() {
        return WorkerOptions.builder()
                .handleOptions(HandleOptions.builder().scheduler(time).build())
                .restartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(4));
    }

    private static void await(String what, BooleanSupplier condition) {
        Mono.fromCallable(condition::getAsBoolean)
                .filter(Boolean::booleanValue)
                .repeatWhenEmpty(Integer.MAX_VALUE, r -> r.delayElements(Duration.ofMillis(5)))
                .timeout(Duration.ofSeconds(10), Mono.error(new AssertionError("Timed out waiting until " + what)))
                .block();
    }

    @Test
    void failingSubscriptionsAreRetriedWithGrowingBackoffUntilConsumingWorks() {
        Queue<String> real = broker.queue("restart.backoff", String.class);
        FlakyQueue<String> queue = new FlakyQueue<>(real, 3);
        real.publish("hello").block(Duration.ofSeconds(5));
        List<String> handled = new CopyOnWriteArrayList<>();
        Worker<String> worker = Worker.builder(queue, m -> Mono.fromRunnable(() -> handled.add(m.payload())))
                .options(options().build())
                .build()
                .start();

        assertThat(queue.subscriptions.get()).isEqualTo(1);
        // Reactor's backoff with 20 % jitter: 1–1.2 s, then 1.6–2.4 s, then (capped) 3.2–4 s.
        time.advanceTimeBy(Duration.ofMillis(990));
        assertThat(queue.subscriptions.get()).as("no restart before the first backoff").isEqualTo(1);
        time.advanceTimeBy(Duration.ofMillis(220)); // 1.21 s
        assertThat(queue.subscriptions.get()).isEqualTo(2);
        time.advanceTimeBy(Duration.ofMillis(1_380)); // 2.59 s: the second wait is at least 1.6 s
        assertThat(queue.subscriptions.get()).as("the backoff doubled").isEqualTo(2);
        time.advanceTimeBy(Duration.ofMillis(1_120)); // 3.71 s: at most 1.2 + 2.4
        assertThat(queue.subscriptions.get()).isEqualTo(3);
        assertThat(worker.status()).isEqualTo(Worker.Status.RUNNING);
        assertThat(handled).isEmpty();

        time.advanceTimeBy(Duration.ofSeconds(5)); // the third wait is at most 4 s: consuming works now
        await("the message handled after the restarts", () -> handled.equals(List.of("hello")));
        assertThat(queue.subscriptions.get()).isEqualTo(4);
        assertThat(worker.stats().restarts()).isEqualTo(3);
        assertThat(worker.status()).isEqualTo(Worker.Status.RUNNING);
        worker.stop().block(Duration.ofSeconds(5));
        assertThat(worker.status()).isEqualTo(Worker.Status.STOPPED);
    }

    @Test
    void theBackoffStopsGrowingAtItsMaximum() {
        FlakyQueue<String> queue = new FlakyQueue<>(broker.queue("restart.cap", String.class), Integer.MAX_VALUE);
        Worker<String> worker = Worker.builder(queue, m -> Mono.empty()).options(options().build()).build().start();
        time.advanceTimeBy(Duration.ofSeconds(60));
        // The third subscription comes at 2.6–3.6 s, then one every 3.2–4 s (capped): 17 to 20 in 60 s.
        assertThat(queue.subscriptions.get()).isBetween(17, 20);
        assertThat(worker.stats().restarts()).isEqualTo(queue.subscriptions.get() - 1L);
        worker.stop().block(Duration.ofSeconds(5));
        int seen = queue.subscriptions.get();
        time.advanceTimeBy(Duration.ofSeconds(60));
        assertThat(queue.subscriptions.get()).as("a stopped worker does not restart").isEqualTo(seen);
        assertThat(worker.status()).isEqualTo(Worker.Status.STOPPED);
    }

    @Test
    void deliveriesTakenBeforeTheFailureAreStillHandledAndAcked() {
        Queue<String> real = broker.queue("restart.inflight", String.class);
        real.publish("taken").block(Duration.ofSeconds(5));
        Sinks.Empty<Void> release = Sinks.empty();
        AtomicInteger running = new AtomicInteger();
        // The first subscription hands out the delivery, then fails while its handler runs.
        Queue<String> queue = new ForwardingQueue<>(real) {
            private final AtomicInteger calls = new AtomicInteger();

            @Override
            public Flux<Delivery<String>> consume(ConsumeOptions options) {
                if (calls.getAndIncrement() == 0) {
                    return real.consume(options).take(1)
                            .concatWith(Mono.defer(() -> {
                                await("the handler running", () -> running.get() == 1);
                                return Mono.error(new IllegalStateException("connection lost"));
                            }));
                }
                return real.consume(options);
            }
        };
        Worker<String> worker = Worker.builder(queue, m -> Mono.fromRunnable(running::incrementAndGet)
                        .then(release.asMono()))
                .options(options().build())
                .build()
                .start();
        await("a restart", () -> {
            time.advanceTimeBy(Duration.ofMillis(100));
            return worker.stats().restarts() == 1;
        });
        release.tryEmitEmpty();
        await("the delivery taken before the failure acked", () -> worker.stats().completed() == 1);
        assertThat(real.stats().block(Duration.ofSeconds(5)).completed()).isEqualTo(1);
        assertThat(worker.status()).isEqualTo(Worker.Status.RUNNING);
        worker.stop().block(Duration.ofSeconds(5));
    }

    @Test
    void withRestartsOffTheFirstErrorEndsTheWorkerFailed() {
        FlakyQueue<String> queue = new FlakyQueue<>(broker.queue("restart.off", String.class), 1);
        Worker<String> worker = Worker.builder(queue, m -> Mono.empty())
                .options(options().restartOnError(false).build())
                .build()
                .start();
        await("the worker failed", () -> worker.status() == Worker.Status.FAILED);
        time.advanceTimeBy(Duration.ofSeconds(60));
        assertThat(queue.subscriptions.get()).isEqualTo(1);
        assertThat(worker.stats().restarts()).isZero();
        worker.stop().block(Duration.ofSeconds(5));
    }

    @Test
    void aClosedBrokerStopsTheWorkerWithoutRestarts() {
        Queue<String> real = broker.queue("restart.closed", String.class);
        AtomicInteger subscriptions = new AtomicInteger();
        Queue<String> queue = new ForwardingQueue<>(real) {
            @Override
            public Flux<Delivery<String>> consume(ConsumeOptions options) {
                subscriptions.incrementAndGet();
                return real.consume(options);
            }
        };
        broker.close().block(Duration.ofSeconds(5));
        Worker<String> worker = Worker.builder(queue, m -> Mono.empty()).options(options().build()).build().start();
        await("the worker stopped", () -> worker.status() == Worker.Status.STOPPED);
        time.advanceTimeBy(Duration.ofSeconds(60));
        assertThat(subscriptions.get()).isEqualTo(1);
        assertThat(worker.stats().restarts()).isZero();
    }

    @Test
    void restartBackoffIsValidated() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WorkerOptions.builder()
                        .restartBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WorkerOptions.restartBackoff");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WorkerOptions.builder()
                        .restartBackoff(Duration.ZERO, Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WorkerOptions.restartBackoff");
        WorkerOptions defaults = WorkerOptions.defaults();
        assertThat(defaults.restartOnError()).isTrue();
        assertThat(defaults.restartBackoff()).isEqualTo(WorkerOptions.DEFAULT_RESTART_BACKOFF);
        assertThat(defaults.maxRestartBackoff()).isEqualTo(WorkerOptions.DEFAULT_MAX_RESTART_BACKOFF);
        assertThat(defaults.mutate().restartOnError(false).build().mutate().build().restartOnError()).isFalse();
    }

    /** A queue whose first {@code failures} subscriptions fail as an unreachable broker would. */
    private static final class FlakyQueue<T> extends ForwardingQueue<T> {
        final AtomicInteger subscriptions = new AtomicInteger();
        private final int failures;

        FlakyQueue(Queue<T> delegate, int failures) {
            super(delegate);
            this.failures = failures;
        }

        @Override
        public Flux<Delivery<T>> consume(ConsumeOptions options) {
            return Flux.defer(() -> subscriptions.incrementAndGet() <= failures
                    ? Flux.error(new RivuletException("broker unreachable (attempt " + subscriptions.get() + ")"))
                    : delegate.consume(options));
        }
    }

    /** Forwards everything to a real queue; tests override {@link #consume(ConsumeOptions)}. */
    private static class ForwardingQueue<T> implements Queue<T> {
        final Queue<T> delegate;

        ForwardingQueue(Queue<T> delegate) {
            this.delegate = delegate;
        }

        @Override
        public String topic() {
            return delegate.topic();
        }

        @Override
        public Mono<PublishResult> publish(Message<T> message) {
            return delegate.publish(message);
        }

        @Override
        public Flux<PublishResult> publishAll(Publisher<Message<T>> messages) {
            return delegate.publishAll(messages);
        }

        @Override
        public Mono<PublishResult> publishDelayed(Message<T> message, Duration delay) {
            return delegate.publishDelayed(message, delay);
        }

        @Override
        public Mono<PublishResult> publishAt(Message<T> message, Instant at) {
            return delegate.publishAt(message, at);
        }

        @Override
        public Flux<Delivery<T>> consume(ConsumeOptions options) {
            return delegate.consume(options);
        }

        @Override
        public Mono<QueueStats> stats() {
            return delegate.stats();
        }

        @Override
        public Mono<Long> clear() {
            return delegate.clear();
        }

        @Override
        public DeadLetters deadLetters() {
            return delegate.deadLetters();
        }
    }
}
