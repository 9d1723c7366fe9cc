package io.rivulet.benchmarks;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Counts acknowledgements of one run and lets the producer wait for the last one. */
final class Countdown {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final int expected;
    private final AtomicInteger acked = new AtomicInteger();
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicReference<Throwable> error = new AtomicReference<>();

    Countdown(int expected) {
        this.expected = expected;
    }

    void ack() {
        if (acked.incrementAndGet() == expected) {
            done.countDown();
        }
    }

    void fail(Throwable t) {
        error.compareAndSet(null, t);
        done.countDown();
    }

    /** Waits for every acknowledgement; fails loudly rather than measuring a stuck pipeline. */
    int await() throws InterruptedException {
        if (!done.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("Only " + acked.get() + " of " + expected + " messages acked within "
                    + PATIENCE);
        }
        if (error.get() != null) {
            throw new IllegalStateException("Pipeline failed after " + acked.get() + " acks", error.get());
        }
        return acked.get();
    }
}
