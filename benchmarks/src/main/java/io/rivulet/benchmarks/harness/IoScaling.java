package io.rivulet.benchmarks.harness;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rivulet.core.Broker;
import io.rivulet.core.BrokerOptions;
import io.rivulet.core.ConsumeOptions;
import io.rivulet.core.Handle;
import io.rivulet.core.HandleOptions;
import io.rivulet.core.JsonCodec;
import io.rivulet.core.Message;
import io.rivulet.core.Outcome;
import io.rivulet.core.Queue;
import io.rivulet.core.memory.MemoryBroker;
import io.rivulet.core.memory.MemoryOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * I/O-bound scaling: a handler that waits {@value #WAIT_MS} ms without blocking a thread, run by
 * {@link Handle#concurrently} at concurrency 1 … 512 over a backlog on the memory backend. The
 * ideal is {@code concurrency / 10 ms} messages per second; the result is how close Rivulet gets.
 */
public final class IoScaling {

    /** How long the handler waits, in milliseconds. */
    public static final int WAIT_MS = 10;
    /** The concurrency levels measured. */
    public static final int[] LEVELS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};

    /** One concurrency level's result. */
    public record Point(int concurrency, int messages, double seconds, double achieved, double ideal) {
        /** Achieved over ideal. */
        public double efficiency() {
            return achieved / ideal;
        }
    }

    private IoScaling() {
    }

    /**
     * Measures every level of {@link #LEVELS} with {@code waitsPerSlot} handler runs per unit of
     * concurrency (so every level takes about {@code waitsPerSlot × 10 ms}).
     */
    public static List<Point> run(int waitsPerSlot, int[] levels) {
        List<Point> points = new ArrayList<>();
        for (int concurrency : levels) {
            points.add(measure(concurrency, concurrency * waitsPerSlot));
        }
        return points;
    }

    /** One level: publishes {@code messages}, then times consuming all of them. */
    public static Point measure(int concurrency, int messages) {
        Broker broker = MemoryBroker.create(MemoryOptions.defaults(),
                BrokerOptions.builder().name("io-scaling").meterRegistry(new SimpleMeterRegistry()).build());
        try {
            Queue<Integer> queue = broker.queue("bench.io-scaling", JsonCodec.of(Integer.class));
            queue.publishAll(Flux.range(0, messages).map(Message::of)).then().block(Duration.ofMinutes(2));
            HandleOptions options = HandleOptions.builder().concurrency(concurrency).build();
            ConsumeOptions consume = ConsumeOptions.builder().prefetch(Math.max(ConsumeOptions.DEFAULT_PREFETCH,
                    concurrency)).build();
            long start = System.nanoTime();
            Long acked = queue.consume(consume)
                    .transform(Handle.concurrently(m -> Mono.delay(Duration.ofMillis(WAIT_MS)), options))
                    .filter(o -> o.status() == Outcome.Status.ACKED)
                    .take(messages)
                    .count()
                    .block(Duration.ofMinutes(10));
            double seconds = (System.nanoTime() - start) / 1e9;
            if (acked == null || acked != messages) {
                throw new IllegalStateException("concurrency " + concurrency + ": acked " + acked + " of " + messages);
            }
            double ideal = concurrency * (1000.0 / WAIT_MS);
            return new Point(concurrency, messages, seconds, messages / seconds, ideal);
        } finally {
            broker.close().block(Duration.ofSeconds(10));
        }
    }
}
