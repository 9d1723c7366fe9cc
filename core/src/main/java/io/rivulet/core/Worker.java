package io.rivulet.core;

import io.rivulet.core.internal.DefaultDelivery;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.Logger;
import reactor.util.Loggers;
import reactor.util.retry.Retry;

/**
 * Consumes one queue and handles every message with a {@link Handler}, until stopped: the job-queue
 * worker. Built with {@link #builder(Queue, Handler)}.
 *
 * <p>{@link #start()} subscribes to the queue and handles deliveries with
 * {@link Handle#concurrently} (or {@link Handle#inKeyOrder} when
 * {@link WorkerOptions#keyOrdered()}), so retries, dead letters and timeouts follow the worker's
 * {@link HandleOptions}. {@link #stop()} is graceful: it stops fetching at once, lets the
 * deliveries already taken finish (in-process retries included) for up to
 * {@link WorkerOptions#stopTimeout()}, then cancels what is still running and returns those
 * deliveries to the queue: one whose handler never started goes back unchanged, one whose handler
 * was cancelled goes back as a retry (its attempt counted). A worker runs once: after a stop, build a new one.
 *
 * <p>When consuming fails (the broker unreachable or refusing the credentials, a connection lost
 * for good), the worker logs a warning and subscribes again after a backoff
 * ({@link WorkerOptions#restartBackoff()} doubling up to {@link WorkerOptions#maxRestartBackoff()}),
 * for as long as it runs; deliveries it had already taken keep being handled. {@link #stats()}
 * counts the restarts. A closed broker ends the worker instead, and with
 * {@link WorkerOptions#restartOnError()} off the first error does ({@link Status#FAILED}).
 *
 * <p>Callbacks run on the thread that settled the delivery, after the settlement; they must not
 * block, and an exception thrown by one is logged and otherwise ignored. All methods are
 * thread-safe.
 *
 * @param <T> the payload type
 */
public final class Worker<T> {

    private static final Logger LOG = Loggers.getLogger(Worker.class);

    /** A worker's (or pool's) lifecycle. */
    public enum Status {
        /** Built, not started. */
        NEW,
        /** Consuming and handling. */
        RUNNING,
        /** Stopped fetching, finishing in-flight work. */
        STOPPING,
        /** Done: stopped, or its queue's broker closed. */
        STOPPED,
        /**
         * Consumption ended with an error that is not restarted (see the log and
         * {@link WorkerOptions#restartOnError()}); the worker handles nothing more.
         */
        FAILED
    }

    private final Queue<T> queue;
    private final Handler<T> handler;
    private final WorkerOptions options;
    private final Consumer<Outcome<T>> onCompleted;
    private final Consumer<Outcome<T>> onFailed;
    private final String name;

    private final AtomicReference<Status> status = new AtomicReference<>(Status.NEW);
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicInteger inProgress = new AtomicInteger();
    private final AtomicLong restarts = new AtomicLong();
    // Deliveries taken and not yet settled, to return them if a stop times out; keyed by their
    // message object (identity: Message does not override equals), which their Outcome carries.
    private final Map<Message<T>, Delivery<T>> held = new ConcurrentHashMap<>();
    // The attempt each message's handler last started with, by message id: a delivery whose handler
    // never started goes back unchanged, one that ran goes back as a retry of that attempt.
    private final Map<String, Integer> started = new ConcurrentHashMap<>();
    private final Sinks.Empty<Void> stopFetching = Sinks.empty();
    private final Sinks.Empty<Void> done = Sinks.empty();
    private volatile Disposable subscription;

    private Worker(Builder<T> b) {
        this.queue = b.queue;
        this.handler = b.handler;
        this.options = b.options;
        this.onCompleted = b.onCompleted;
        this.onFailed = b.onFailed;
        this.name = options.name() != null ? options.name() : queue.topic();
    }

    /** A builder for a worker that handles {@code queue}'s messages with {@code handler}. */
    public static <T> Builder<T> builder(Queue<T> queue, Handler<T> handler) {
        return new Builder<>(queue, handler);
    }

    /** The worker's name ({@link WorkerOptions#name()}, or its topic). */
    public String name() {
        return name;
    }

    /** The queue it consumes. */
    public Queue<T> queue() {
        return queue;
    }

    /** Its current status. */
    public Status status() {
        return status.get();
    }

    /**
     * Starts consuming and handling in the background; returns at once.
     *
     * @throws IllegalStateException if the worker was started before
     */
    public Worker<T> start() {
        if (!status.compareAndSet(Status.NEW, Status.RUNNING)) {
            throw new IllegalStateException("Worker '" + name + "' was already started (status " + status.get()
                    + "); a worker runs once, build a new one to start again");
        }
        Handler<T> counted = message -> Mono.defer(() -> {
            inProgress.incrementAndGet();
            started.put(message.id(), message.attempt());
            return handler.handle(message);
        }).doFinally(s -> inProgress.decrementAndGet());
        HandleOptions handle = options.handleOptions();
        Function<Flux<Delivery<T>>, Flux<Outcome<T>>> operator = options.keyOrdered()
                ? Handle.inKeyOrder(counted, handle)
                : Handle.concurrently(counted, handle);
        subscription = deliveries()
                .takeUntilOther(stopFetching.asMono())
                // One that arrives as fetching stops is dropped there, never held: give it back.
                .doOnDiscard(DefaultDelivery.class, this::releaseDropped)
                .doOnNext(d -> held.put(d.message(), d))
                .transform(operator)
                .subscribe(this::settled, this::failedWith, this::finished);
        LOG.debug("Worker '{}' started on '{}'", name, queue.topic());
        return this;
    }

    // The queue's deliveries, subscribed again after a consuming error while the worker runs.
    private Flux<Delivery<T>> deliveries() {
        Flux<Delivery<T>> deliveries = Flux.defer(() -> queue.consume(options.consumeOptions()));
        if (!options.restartOnError()) {
            return deliveries;
        }
        return deliveries.retryWhen(Retry.backoff(Long.MAX_VALUE, options.restartBackoff())
                .maxBackoff(options.maxRestartBackoff())
                .jitter(0.2)
                .transientErrors(true) // a restart that delivered something starts the backoff over
                .scheduler(options.handleOptions().scheduler())
                .filter(e -> !(e instanceof BrokerClosedException) && status.get() == Status.RUNNING)
                .doAfterRetry(signal -> restarts.incrementAndGet())
                .doBeforeRetry(signal -> {
                    long inARow = signal.totalRetriesInARow();
                    Duration wait = inARow >= 30 ? options.maxRestartBackoff()
                            : min(options.restartBackoff().multipliedBy(1L << inARow), options.maxRestartBackoff());
                    LOG.warn("Worker '{}' on '{}': consuming failed ({} in a row), subscribing again in about {}: {}",
                            name, queue.topic(), inARow + 1, wait, String.valueOf(signal.failure()));
                }));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void settled(Outcome<T> outcome) {
        held.remove(outcome.message());
        started.remove(outcome.id());
        boolean ok = outcome.status() == Outcome.Status.ACKED;
        (ok ? completed : failed).incrementAndGet();
        Consumer<Outcome<T>> callback = ok ? onCompleted : onFailed;
        if (callback == null) {
            return;
        }
        try {
            callback.accept(outcome);
        } catch (RuntimeException e) {
            LOG.warn("Worker '{}': the {} callback threw for message {}; ignored", name,
                    ok ? "onCompleted" : "onFailed", outcome.id(), e);
        }
    }

    private void failedWith(Throwable error) {
        if (error instanceof BrokerClosedException) {
            LOG.info("Worker '{}' on '{}' stopped: its broker is closed", name, queue.topic());
            status.set(Status.STOPPED);
        } else {
            LOG.error("Worker '{}' on '{}' stopped: consuming failed", name, queue.topic(), error);
            status.set(Status.FAILED);
        }
        done.tryEmitEmpty();
    }

    private void finished() {
        status.compareAndSet(Status.RUNNING, Status.STOPPED);
        done.tryEmitEmpty();
    }

    /**
     * Stops gracefully: stops fetching at once, waits up to {@link WorkerOptions#stopTimeout()} for
     * the deliveries already taken to be handled and settled, then cancels the handlers still running
     * and nacks their deliveries so they return to the queue. Completes when the worker is stopped;
     * stopping a worker that is not running completes at once. The timeout runs on the handle
     * options' scheduler.
     */
    public Mono<Void> stop() {
        return Mono.defer(() -> {
            if (status.compareAndSet(Status.NEW, Status.STOPPED)) {
                return Mono.empty();
            }
            if (!status.compareAndSet(Status.RUNNING, Status.STOPPING) && status.get() != Status.STOPPING) {
                return done.asMono();
            }
            stopFetching.tryEmitEmpty();
            return done.asMono()
                    .timeout(options.stopTimeout(), Mono.defer(this::returnHeld), options.handleOptions().scheduler())
                    // Before the completion reaches the caller (doFinally runs after it), so a caller
                    // that waited for stop() sees STOPPED; doFinally still covers cancellation.
                    .doOnTerminate(() -> status.compareAndSet(Status.STOPPING, Status.STOPPED))
                    .doFinally(s -> status.compareAndSet(Status.STOPPING, Status.STOPPED));
        });
    }

    private Mono<Void> returnHeld() {
        Disposable s = subscription;
        if (s != null) {
            s.dispose();
        }
        LOG.info("Worker '{}': stop timeout of {} passed; returning {} unfinished deliveries to '{}'",
                name, options.stopTimeout(), held.size(), queue.topic());
        return Flux.fromIterable(held.values())
                .filter(d -> !d.isSettled())
                .flatMap(d -> giveBack(d).onErrorResume(e -> {
                    LOG.warn("Worker '{}': could not return message {}; it comes back after the visibility timeout",
                            name, d.message().id(), e);
                    return Mono.empty();
                }))
                .then(Mono.fromRunnable(() -> {
                    held.clear();
                    started.clear();
                    done.tryEmitEmpty();
                }));
    }

    private void releaseDropped(DefaultDelivery<?> d) {
        if (!d.isSettled()) {
            d.release().subscribe(null, e -> LOG.debug("Worker '{}': could not return message {}; it comes back "
                    + "after the visibility timeout: {}", name, d.message().id(), e.toString()));
        }
    }

    // Never handled: back unchanged. Handled (and cancelled): a retry of the attempt that ran.
    private Mono<Void> giveBack(Delivery<T> d) {
        Integer attempt = started.get(d.message().id());
        if (!(d instanceof DefaultDelivery<T> dd)) {
            return d.nack();
        }
        return attempt == null ? dd.release() : dd.redeliver(Duration.ZERO, attempt + 1);
    }

    /** A snapshot of the worker's counters. */
    public WorkerStats stats() {
        Status s = status.get();
        boolean active = s == Status.RUNNING || s == Status.STOPPING;
        return new WorkerStats(name, s, 1, active ? 1 : 0, completed.get(), failed.get(), inProgress.get(),
                restarts.get());
    }

    @Override
    public String toString() {
        return "Worker{" + name + ", " + status.get() + "}";
    }

    /**
     * Builds a {@link Worker}.
     *
     * @param <T> the payload type
     */
    public static final class Builder<T> {

        private final Queue<T> queue;
        private final Handler<T> handler;
        private WorkerOptions options = WorkerOptions.defaults();
        private Consumer<Outcome<T>> onCompleted;
        private Consumer<Outcome<T>> onFailed;

        private Builder(Queue<T> queue, Handler<T> handler) {
            this.queue = Objects.requireNonNull(queue, "queue");
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /** Sets the worker's options. */
        public Builder<T> options(WorkerOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Called after each message is handled successfully and acked. */
        public Builder<T> onCompleted(Consumer<Outcome<T>> onCompleted) {
            this.onCompleted = Objects.requireNonNull(onCompleted, "onCompleted");
            return this;
        }

        /**
         * Called after each delivery that failed and left the worker: returned for a later retry
         * ({@link Outcome.Status#RETRIED}), dead-lettered, or left unsettled. In-process retries are
         * not reported until they end.
         */
        public Builder<T> onFailed(Consumer<Outcome<T>> onFailed) {
            this.onFailed = Objects.requireNonNull(onFailed, "onFailed");
            return this;
        }

        /** Builds the worker, not started. */
        public Worker<T> build() {
            return new Worker<>(this);
        }
    }
}
