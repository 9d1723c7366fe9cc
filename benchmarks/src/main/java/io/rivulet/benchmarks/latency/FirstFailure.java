package io.rivulet.benchmarks.latency;

import java.util.concurrent.atomic.AtomicReference;

/** The first error an endpoint's asynchronous publishes, deliveries or acks reported; the rest are dropped. */
final class FirstFailure {

    private final AtomicReference<Throwable> first = new AtomicReference<>();

    /** Keeps {@code e} if it is the first. */
    void record(Throwable e) {
        first.compareAndSet(null, e);
    }

    /** Throws, naming {@code who}, if anything was recorded: {@link Endpoint#check()}. */
    void check(String who) {
        Throwable e = first.get();
        if (e != null) {
            throw new IllegalStateException(who + " failed: " + e, e);
        }
    }
}
