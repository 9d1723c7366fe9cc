package io.rivulet.benchmarks;

import reactor.core.Disposable;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;

/**
 * The baseline: a bare Reactor unicast sink, {@code publishOn} a consumer thread, and a
 * per-message ack object that counts down. No ids, codecs, settlement guards or metrics.
 */
final class SinksHandoff implements Handoff {

    private final Scheduler consumerThread = Schedulers.newSingle("sinks-consumer");
    private final byte[] payload = new byte[PAYLOAD_BYTES];

    @Override
    public int run(int messages) throws InterruptedException {
        Countdown countdown = new Countdown(messages);
        Sinks.Many<Envelope> sink = Sinks.many().unicast().onBackpressureBuffer();
        Disposable consumer = sink.asFlux()
                .publishOn(consumerThread, Queues.SMALL_BUFFER_SIZE)
                .subscribe(Envelope::ack, countdown::fail);
        try {
            for (int i = 0; i < messages; i++) {
                sink.emitNext(new Envelope(i, payload, countdown), Sinks.EmitFailureHandler.FAIL_FAST);
            }
            sink.emitComplete(Sinks.EmitFailureHandler.FAIL_FAST);
            return countdown.await();
        } finally {
            consumer.dispose();
        }
    }

    @Override
    public void close() {
        consumerThread.dispose();
    }

    /** A message with its ack. */
    private record Envelope(long seq, byte[] payload, Countdown countdown) {
        void ack() {
            countdown.ack();
        }
    }
}
