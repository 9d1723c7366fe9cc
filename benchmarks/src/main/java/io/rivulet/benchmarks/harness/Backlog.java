package io.rivulet.benchmarks.harness;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rivulet.core.Broker;
import io.rivulet.core.BrokerOptions;
import io.rivulet.core.Codec;
import io.rivulet.core.ConsumeOptions;
import io.rivulet.core.Message;
import io.rivulet.core.Queue;
import io.rivulet.core.memory.MemoryBroker;
import io.rivulet.core.memory.MemoryOptions;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import reactor.core.publisher.Flux;

/**
 * Consumes a backlog of N messages on the memory backend with prefetch 256 and reports heap: the
 * live heap holding the backlog, the highest live heap seen after any collection while consuming,
 * and the live heap once it is drained; and the direct (off-heap) memory the backlog takes beyond
 * the backend's heap bound ({@link MemoryOptions#heapBacklog()}). Every message has a payload of its
 * own, as in an application. Run it in a JVM of its own (the heap it reports is the JVM's), with
 * {@code -XX:MaxDirectMemorySize} large enough for the backlog.
 */
public final class Backlog {

    /** Payload size, in bytes. */
    public static final int PAYLOAD_BYTES = 100;
    /** Consumer prefetch. */
    public static final int PREFETCH = 256;

    /** The result; heap figures in bytes. */
    public record Result(long messages, int heapBacklog, long liveWithBacklog, long peakLiveWhileConsuming,
                         long liveAfterDrain, long directWithBacklog, long maxHeap, double consumeSeconds) {
        /** Consumed messages per second. */
        public double rate() {
            return messages / consumeSeconds;
        }
    }

    private Backlog() {
    }

    /** {@link #run(long, int)} with the default heap bound. */
    public static Result run(long messages) {
        return run(messages, MemoryOptions.DEFAULT_HEAP_BACKLOG);
    }

    /**
     * Publishes {@code messages}, then consumes and acks them all, watching the heap; the backend
     * keeps at most {@code heapBacklog} ready messages on the heap.
     */
    public static Result run(long messages, int heapBacklog) {
        Broker broker = MemoryBroker.create(MemoryOptions.builder().maxQueueSize((int) Math.min(Integer.MAX_VALUE,
                        messages + 1)).heapBacklog(heapBacklog).build(),
                BrokerOptions.builder().name("backlog").meterRegistry(new SimpleMeterRegistry()).build());
        try {
            Queue<byte[]> queue = broker.queue("bench.backlog", Codec.bytes());
            queue.publishAll(Flux.<Message<byte[]>>generate(sink -> sink.next(Message.of(new byte[PAYLOAD_BYTES])))
                            .take(messages))
                    .then().block(Duration.ofMinutes(30));
            long withBacklog = liveHeap();
            long direct = directMemory();
            LiveHeapWatch watch = LiveHeapWatch.start();
            long start = System.nanoTime();
            Long acked = queue.consume(ConsumeOptions.builder().prefetch(PREFETCH).build())
                    .concatMap(d -> d.ack().thenReturn(1), 0)
                    .take(messages)
                    .count()
                    .block(Duration.ofMinutes(30));
            double seconds = (System.nanoTime() - start) / 1e9;
            watch.stop();
            if (acked == null || acked != messages) {
                throw new IllegalStateException("acked " + acked + " of " + messages);
            }
            long afterDrain = liveHeap();
            return new Result(messages, heapBacklog, withBacklog, Math.max(watch.peak(), afterDrain), afterDrain,
                    direct, Runtime.getRuntime().maxMemory(), seconds);
        } finally {
            broker.close().block(Duration.ofSeconds(30));
        }
    }

    /** Direct buffer memory in use. */
    static long directMemory() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct"))
                .mapToLong(BufferPoolMXBean::getMemoryUsed)
                .sum();
    }

    /** Used heap right after a full collection. */
    static long liveHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The highest heap use left after any collection (the live set plus what survived), while watching. */
    private static final class LiveHeapWatch {
        private final AtomicLong peak = new AtomicLong();
        private final NotificationListener listener = (n, handback) -> {
            if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                GarbageCollectionNotificationInfo info =
                        GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                        .mapToLong(MemoryUsage::getUsed).sum();
                peak.accumulateAndGet(used, Math::max);
            }
        };

        static LiveHeapWatch start() {
            LiveHeapWatch w = new LiveHeapWatch();
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).addNotificationListener(w.listener, null, null);
            }
            return w;
        }

        void stop() {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                try {
                    ((NotificationEmitter) gc).removeNotificationListener(listener);
                } catch (javax.management.ListenerNotFoundException ignored) {
                    // never added to this collector: nothing to remove
                }
            }
        }

        long peak() {
            return peak.get();
        }
    }
}
