package io.rivulet.benchmarks;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rivulet.core.Broker;
import io.rivulet.core.BrokerOptions;
import io.rivulet.core.Codec;
import io.rivulet.core.ConsumeOptions;
import io.rivulet.core.Message;
import io.rivulet.core.Queue;
import io.rivulet.core.memory.MemoryBroker;
import io.rivulet.core.memory.MemoryOptions;
import java.time.Duration;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;

/**
 * Rivulet's in-memory broker: {@code publishAll} from the calling thread, {@code consume} with
 * the default prefetch, {@code publishOn} a consumer thread, {@code ack} every delivery. The codec
 * passes bytes through, so this measures the toolkit, not JSON.
 */
final class RivuletHandoff implements Handoff {

    private final Scheduler consumerThread = Schedulers.newSingle("rivulet-consumer");
    private final Broker broker;
    private final boolean ownsBroker;
    private final Queue<byte[]> queue;
    private final byte[] payload = new byte[PAYLOAD_BYTES];

    /** A pipeline on a broker of its own. */
    RivuletHandoff() {
        this(newBroker(), "bench.handoff", true);
    }

    /** A pipeline on {@code topic} of a shared broker, which {@link #close} leaves open. */
    RivuletHandoff(Broker broker, String topic) {
        this(broker, topic, false);
    }

    private RivuletHandoff(Broker broker, String topic, boolean ownsBroker) {
        this.broker = broker;
        this.ownsBroker = ownsBroker;
        this.queue = broker.queue(topic, Codec.bytes());
    }

    /** A memory broker with meters on a registry of its own. */
    static Broker newBroker() {
        return MemoryBroker.create(MemoryOptions.defaults(),
                BrokerOptions.builder().name("bench").meterRegistry(new SimpleMeterRegistry()).build());
    }

    @Override
    public int run(int messages) throws InterruptedException {
        Countdown countdown = new Countdown(messages);
        Disposable consumer = queue.consume(ConsumeOptions.defaults())
                .publishOn(consumerThread, Queues.SMALL_BUFFER_SIZE)
                .subscribe(d -> d.ack().subscribe(null, countdown::fail, countdown::ack), countdown::fail);
        try {
            queue.publishAll(Flux.range(0, messages).map(i -> Message.of(payload)))
                    .then()
                    .block(Duration.ofSeconds(60));
            return countdown.await();
        } finally {
            consumer.dispose();
        }
    }

    @Override
    public void close() {
        if (ownsBroker) {
            broker.close().block(Duration.ofSeconds(10));
        }
        consumerThread.dispose();
    }
}
