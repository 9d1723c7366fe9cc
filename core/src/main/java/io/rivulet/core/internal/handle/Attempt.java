package io.rivulet.core.internal.handle;

import io.rivulet.core.Delivery;
import io.rivulet.core.internal.DefaultDelivery;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * One timed run of handler code: applies the timeout (which cancels the work), records the run in
 * the deliveries' handler timers and turns the result into a value.
 *
 * <p>Hand-written rather than {@code defer}, {@code map}, {@code defaultIfEmpty},
 * {@code onErrorResume} and {@code doOnNext}, because it runs once per message: those made a dozen
 * objects per run, a third of what handling a message cost over the bare Reactor pipeline.
 */
final class Attempt<R> extends Mono<Object> {

    private final Supplier<? extends Mono<? extends R>> work;
    private final R fallback;
    private final Duration timeout;
    private final HandleSettings<?> settings;
    private final Supplier<String> what;
    private final Collection<? extends Delivery<?>> timed;

    private Attempt(Supplier<? extends Mono<? extends R>> work, R fallback, Duration timeout, HandleSettings<?> s,
                    Supplier<String> what, Collection<? extends Delivery<?>> timed) {
        this.work = work;
        this.fallback = fallback;
        this.timeout = timeout;
        this.settings = s;
        this.what = what;
        this.timed = timed;
    }

    /**
     * Runs {@code work} once per subscription; emits what it emitted (or {@code fallback} when it
     * completed empty) on success, or the {@link Failure} it failed with. Never signals an error.
     * {@code what} names the work in a timeout's error; it is read only if a timeout is set.
     */
    static <R> Mono<Object> run(Supplier<? extends Mono<? extends R>> work, R fallback, Duration timeout,
                                HandleSettings<?> s, Supplier<String> what, Collection<? extends Delivery<?>> timed) {
        return new Attempt<>(work, fallback, timeout, s, what, timed);
    }

    @Override
    public void subscribe(CoreSubscriber<? super Object> actual) {
        Run<R> run = new Run<>(actual, fallback, settings, timed);
        Mono<? extends R> m;
        try {
            m = Objects.requireNonNull(work.get(), "the handler returned null instead of a Mono");
        } catch (Throwable e) {
            // What Mono.defer would have signalled: a failed run like any other.
            actual.onSubscribe(run);
            run.onError(e);
            return;
        }
        if (timeout != null) {
            m = m.timeout(timeout, Mono.error(() -> new TimeoutException(
                    what.get() + " did not complete within " + timeout
                            + ": cancelled and counted as a failed attempt")),
                    settings.scheduler());
        }
        m.subscribe(run);
    }

    private static void record(Collection<? extends Delivery<?>> timed, Duration took, boolean success) {
        for (Delivery<?> d : timed) {
            if (d instanceof DefaultDelivery<?> dd) {
                dd.recordHandler(took, success);
            }
        }
    }

    /** A failed run. */
    record Failure(Throwable error) {
    }

    /** The run's subscriber to the work, and the subscription it hands downstream. */
    private static final class Run<R> extends ResultSubscriber<R, Object> {

        private final R fallback;
        private final HandleSettings<?> settings;
        private final Collection<? extends Delivery<?>> timed;
        private final long start;

        Run(CoreSubscriber<? super Object> actual, R fallback, HandleSettings<?> settings,
            Collection<? extends Delivery<?>> timed) {
            super(actual);
            this.fallback = fallback;
            this.settings = settings;
            this.timed = timed;
            this.start = settings.now();
        }

        @Override
        public void onNext(R value) {
            // A Mono completes after its value: settle on the value, ignore the completion.
            if (finish()) {
                end(value, true);
            } else {
                Operators.onNextDropped(value, actual.currentContext());
            }
        }

        @Override
        public void onError(Throwable e) {
            if (finish()) {
                end(new Failure(e), false);
            } else {
                Operators.onErrorDropped(e, actual.currentContext());
            }
        }

        @Override
        public void onComplete() {
            if (finish()) {
                end(fallback, true);
            }
        }

        private void end(Object result, boolean success) {
            record(timed, Duration.ofNanos(settings.now() - start), success);
            complete(result);
        }
    }
}
