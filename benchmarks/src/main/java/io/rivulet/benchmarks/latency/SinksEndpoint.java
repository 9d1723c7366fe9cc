package io.rivulet.benchmarks.latency;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The memory baseline: a bare Reactor unicast sink, {@code publishOn} a consumer thread, the
 * handler, then a per-message ack that counts (as in the {@code MemoryHandoff} throughput
 * baseline). No ids, codec, settlement guards or metrics.
 */
final class SinksEndpoint implements Endpoint {

    private final Scheduler consumerThread = Schedulers.newSingle("latency-sinks-consumer");
    private final Sinks.Many<byte[]> sink = Sinks.many().unicast().onBackpressureBuffer();
    private final AtomicLong acked = new AtomicLong();
    private Disposable consumer;

    @Override
    public String name() {
        return "bare Reactor Sinks";
    }

    @Override
    public void start(Consumer<byte[]> handler) {
        consumer = sink.asFlux().publishOn(consumerThread).subscribe(p -> {
            handler.accept(p);
            acked.incrementAndGet();
        });
    }

    @Override
    public void send(byte[] payload) {
        sink.emitNext(payload, Sinks.EmitFailureHandler.FAIL_FAST);
    }

    @Override
    public void check() {
        // emitNext fails fast by throwing from send: nothing is left to check.
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.dispose();
        }
        consumerThread.dispose();
    }
}
