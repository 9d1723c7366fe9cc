package io.rivulet.benchmarks.latency;

import io.rivulet.core.Broker;
import io.rivulet.core.Codec;
import io.rivulet.core.ConsumeOptions;
import io.rivulet.core.Delivery;
import io.rivulet.core.Message;
import io.rivulet.core.Queue;
import java.time.Duration;
import java.util.function.Consumer;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * Rivulet on any backend: {@code publish} of one message at a time (the Mono is subscribed, not
 * waited for), {@code consume} with prefetch {@value #PREFETCH}, the handler called on the thread
 * the delivery arrives on (on the memory backend: after {@code publishOn} a consumer thread, like
 * the bare Sinks baseline), then {@code ack}. Pass-through byte codec, so JSON is not measured.
 */
final class RivuletEndpoint implements Endpoint {

    static final int PREFETCH = 256;

    private final Broker broker;
    private final Queue<byte[]> queue;
    private final Scheduler consumerThread;
    private final Runnable cleanup;
    private final FirstFailure failure = new FirstFailure();
    private Disposable consumer;

    /**
     * @param consumerThread where the handler runs ({@code publishOn}), or null for the thread the
     *                       backend delivers on
     * @param cleanup        run after the broker closed (deletes the queue's keys or queues)
     */
    RivuletEndpoint(Broker broker, String topic, Scheduler consumerThread, Runnable cleanup) {
        this.broker = broker;
        this.queue = broker.queue(topic, Codec.bytes());
        this.consumerThread = consumerThread;
        this.cleanup = cleanup;
    }

    @Override
    public String name() {
        return "Rivulet";
    }

    @Override
    public void start(Consumer<byte[]> handler) {
        Flux<Delivery<byte[]>> deliveries =
                queue.consume(ConsumeOptions.builder().prefetch(PREFETCH).build());
        if (consumerThread != null) {
            deliveries = deliveries.publishOn(consumerThread);
        }
        consumer = deliveries.subscribe(d -> {
            handler.accept(d.message().payload());
            d.ack().subscribe(null, this::failed);
        }, this::failed);
    }

    @Override
    public void send(byte[] payload) {
        queue.publish(Message.of(payload)).subscribe(null, this::failed);
    }

    private void failed(Throwable e) {
        failure.record(e);
    }

    @Override
    public void check() {
        failure.check("Rivulet publish, consume or ack");
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.dispose();
        }
        try {
            broker.close().block(Duration.ofSeconds(30));
        } finally {
            if (consumerThread != null) {
                consumerThread.dispose();
            }
            cleanup.run();
        }
    }
}
