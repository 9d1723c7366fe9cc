package io.rivulet.core.internal.handle;

import io.rivulet.core.Delivery;
import io.rivulet.core.internal.DefaultDelivery;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * One timed run of handler code: applies the timeout (which cancels the work), records the run in
 * the deliveries' handler timers and turns the result into a value.
 */
final class Attempt {

    private Attempt() {
    }

    /**
     * Runs {@code work} once; emits what it emitted (or {@code fallback} when it completed empty) on
     * success, or the {@link Failure} it failed with. Never signals an error.
     */
    static <R> Mono<Object> run(Supplier<? extends Mono<? extends R>> work, R fallback, Duration timeout,
                                HandleSettings<?> s, Supplier<String> what, Collection<? extends Delivery<?>> timed) {
        return Mono.defer(() -> {
            long start = s.now();
            Mono<? extends R> m = Mono.defer(work);
            if (timeout != null) {
                m = m.timeout(timeout, Mono.error(() -> new TimeoutException(
                        what.get() + " did not complete within " + timeout
                                + ": cancelled and counted as a failed attempt")),
                        s.scheduler());
            }
            return m.<Object>map(r -> r)
                    .defaultIfEmpty(fallback)
                    .onErrorResume(e -> Mono.just(new Failure(e)))
                    .doOnNext(r -> record(timed, Duration.ofNanos(s.now() - start), !(r instanceof Failure)));
        });
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
}
