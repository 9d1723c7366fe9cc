package io.rivulet.benchmarks.operators;

import io.rivulet.core.Delivery;
import io.rivulet.core.Message;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;

/**
 * A delivery with no broker behind it: settling it only counts. Both sides of
 * {@link OperatorOverhead} settle the same deliveries, so the difference is the operator.
 */
final class BenchDelivery implements Delivery<byte[]> {

    private final Message<byte[]> message;
    private final Settled settled;
    private volatile boolean done;

    BenchDelivery(Message<byte[]> message, Settled settled) {
        this.message = message;
        this.settled = settled;
    }

    @Override
    public Message<byte[]> message() {
        return message;
    }

    @Override
    public Mono<Void> ack() {
        return Mono.fromRunnable(this::settle);
    }

    @Override
    public Mono<Void> nack(Duration delay) {
        return Mono.fromRunnable(this::settle);
    }

    @Override
    public Mono<Void> deadLetter(String reason, Throwable error) {
        return Mono.fromRunnable(this::settle);
    }

    @Override
    public boolean isSettled() {
        return done;
    }

    private void settle() {
        done = true;
        settled.count.incrementAndGet();
    }

    /** How many deliveries of a run were settled. */
    static final class Settled {
        final AtomicInteger count = new AtomicInteger();
    }
}
