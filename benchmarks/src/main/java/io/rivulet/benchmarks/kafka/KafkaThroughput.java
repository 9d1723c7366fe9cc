package io.rivulet.benchmarks.kafka;

import io.rivulet.core.Broker;
import io.rivulet.core.Codec;
import io.rivulet.core.ConsumeOptions;
import io.rivulet.core.Message;
import io.rivulet.core.Queue;
import io.rivulet.kafka.KafkaBroker;
import io.rivulet.kafka.KafkaOptions;
import io.rivulet.kafka.testing.KafkaTestBroker;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * Rivulet on Kafka against raw kafka-clients with the same settings (idempotent producer,
 * {@code acks=all}, {@code linger.ms=5}, one partition, 100-byte payloads, the same record on the
 * wire: no key, Rivulet's two envelope headers {@code rivulet.id} and {@code rivulet.created-at},
 * at most {@value #IN_FLIGHT} records unacknowledged, {@code read_committed} consumers fetching
 * {@value #PREFETCH} records a poll), in one run on one broker: (1) produce N and wait for every
 * acknowledgement; (2) produce N while a consumer (group already joined) consumes and acks/commits
 * them, until the last is consumed. Rounds alternate which side goes first. Not JMH: Kafka's own
 * latencies (linger, fetch, commit) dominate, so wall-clock rounds are what is comparable.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.rivulet.benchmarks.kafka.KafkaThroughput [n] [rounds] [both|raw|rivulet]</pre>
 * ({@code raw} or {@code rivulet} runs one side only, e.g. under a profiler)
 * (needs {@code -Drivulet.kafka.broker.classpath=kafka/test-broker/target/broker-classpath.txt}).
 */
public final class KafkaThroughput {

    /**
     * One side's measurement: messages per second, and per message this JVM's CPU time and the
     * bytes its threads allocated (the broker runs in its own process), which a loaded machine
     * disturbs far less than throughput.
     */
    public record Run(double rate, double cpuMicros, double allocatedBytes) {
        @Override
        public String toString() {
            return String.format("%,10.0f msg/s %5.1f us/msg %,6.0f B/msg", rate, cpuMicros, allocatedBytes);
        }
    }

    /** One measurement of both sides. */
    public record Result(String what, Run raw, Run rivulet) {
        /** Rivulet's throughput as a fraction of raw. */
        public double ratio() {
            return rivulet.rate() / raw.rate();
        }

        /** Rivulet's client CPU per message as a multiple of raw's. */
        public double cpuRatio() {
            return rivulet.cpuMicros() / raw.cpuMicros();
        }

        /** Rivulet's allocation per message as a multiple of raw's. */
        public double allocationRatio() {
            return rivulet.allocatedBytes() / raw.allocatedBytes();
        }

        @Override
        public String toString() {
            return String.format("%-26s raw %s   rivulet %s   ratio %5.1f %%  cpu x%.2f  alloc x%.2f",
                    what, raw, rivulet, 100 * ratio(), cpuRatio(), allocationRatio());
        }
    }

    /**
     * Wall-clock time, process CPU time and allocation from its creation. Allocation counts the
     * threads alive when it stops (those that ended meanwhile are missed; every thread that
     * publishes, sends or consumes here lives through the measurement).
     */
    private static final class Stopwatch {
        private static final com.sun.management.OperatingSystemMXBean OS =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        private static final com.sun.management.ThreadMXBean THREADS =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        private final Map<Long, Long> allocated = allocatedByThread();
        private final long wall = System.nanoTime();
        private final long cpu = OS.getProcessCpuTime();

        private static Map<Long, Long> allocatedByThread() {
            long[] ids = THREADS.getAllThreadIds();
            long[] bytes = THREADS.getThreadAllocatedBytes(ids);
            Map<Long, Long> m = new HashMap<>();
            for (int i = 0; i < ids.length; i++) {
                if (bytes[i] >= 0) {
                    m.put(ids[i], bytes[i]);
                }
            }
            return m;
        }

        Run stop(int n) {
            long tookNanos = System.nanoTime() - wall;
            long cpuNanos = OS.getProcessCpuTime() - cpu;
            long bytes = 0;
            for (Map.Entry<Long, Long> e : allocatedByThread().entrySet()) {
                bytes += e.getValue() - allocated.getOrDefault(e.getKey(), 0L);
            }
            return new Run(n / (tookNanos / 1e9), cpuNanos / 1e3 / n, (double) bytes / n);
        }
    }

    /** Records a producer may have unacknowledged: Rivulet's publishAll window. */
    static final int IN_FLIGHT = 8192;
    /** Records a consumer fetches per poll. */
    static final int PREFETCH = 2000;
    private static final byte[] PAYLOAD = new byte[100];
    private static final Codec<byte[]> BYTES = Codec.bytes();

    private KafkaThroughput() {
    }

    /** Starts a broker, runs {@code rounds} rounds of each measurement, prints them, stops the broker. */
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String sides = args.length > 2 ? args[2] : "both";
        try (KafkaTestBroker kafka = KafkaTestBroker.start()) {
            System.out.println("Kafka broker: " + kafka + "; " + n + " messages of 100 bytes per round");
            if (!sides.equals("both")) {
                boolean raw = sides.equals("raw");
                for (int r = 1; r <= rounds; r++) {
                    Run p = raw ? rawProduce(kafka.bootstrapServers(), n) : rivuletProduce(kafka.bootstrapServers(), n);
                    Run e = raw ? rawEndToEnd(kafka.bootstrapServers(), n) : rivuletEndToEnd(kafka.bootstrapServers(), n);
                    System.out.printf("round %d  %s  produce %s   produce -> consume -> ack %s%n", r, sides, p, e);
                }
                return;
            }
            List<Double> produce = new ArrayList<>();
            List<Double> endToEnd = new ArrayList<>();
            List<Double> produceCpu = new ArrayList<>();
            List<Double> endToEndCpu = new ArrayList<>();
            List<Double> produceAlloc = new ArrayList<>();
            List<Double> endToEndAlloc = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                List<Result> results = run(kafka.bootstrapServers(), n, r % 2 == 0);
                for (Result result : results) {
                    System.out.printf("round %d  %s   (load %.2f)%n", r, result, loadAverage());
                }
                produce.add(results.get(0).ratio());
                endToEnd.add(results.get(1).ratio());
                produceCpu.add(results.get(0).cpuRatio());
                endToEndCpu.add(results.get(1).cpuRatio());
                produceAlloc.add(results.get(0).allocationRatio());
                endToEndAlloc.add(results.get(1).allocationRatio());
            }
            System.out.printf("median over %d rounds: produce %.1f %% of raw (cpu x%.2f, alloc x%.2f), "
                            + "produce -> consume -> ack %.1f %% of raw (cpu x%.2f, alloc x%.2f)%n", rounds,
                    100 * median(produce), median(produceCpu), median(produceAlloc),
                    100 * median(endToEnd), median(endToEndCpu), median(endToEndAlloc));
        }
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static double median(List<Double> xs) {
        List<Double> sorted = new ArrayList<>(xs);
        sorted.sort(null);
        int m = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(m) : (sorted.get(m - 1) + sorted.get(m)) / 2;
    }

    /** Both measurements once, each on fresh topics; raw first unless {@code rivuletFirst}. */
    public static List<Result> run(String bootstrap, int n, boolean rivuletFirst) {
        Run rawP;
        Run rivP;
        if (rivuletFirst) {
            rivP = rivuletProduce(bootstrap, n);
            rawP = rawProduce(bootstrap, n);
        } else {
            rawP = rawProduce(bootstrap, n);
            rivP = rivuletProduce(bootstrap, n);
        }
        Run rawE;
        Run rivE;
        if (rivuletFirst) {
            rivE = rivuletEndToEnd(bootstrap, n);
            rawE = rawEndToEnd(bootstrap, n);
        } else {
            rawE = rawEndToEnd(bootstrap, n);
            rivE = rivuletEndToEnd(bootstrap, n);
        }
        return List.of(new Result("produce", rawP, rivP), new Result("produce -> consume -> ack", rawE, rivE));
    }

    private static Map<String, Object> producerProps(String bootstrap) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return p;
    }

    private static String newTopic(String bootstrap, String prefix) {
        String topic = "bench." + prefix + "." + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty()))).all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not create " + topic, e);
        }
        return topic;
    }

    /**
     * The record Rivulet writes for {@code Message.of(PAYLOAD)}: no key, a generated id and the
     * creation time as headers, so both sides put the same bytes on the wire.
     */
    private static ProducerRecord<byte[], byte[]> record(String topic) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("rivulet.id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        long now = System.currentTimeMillis();
        headers.add("rivulet.created-at", Long.toString(now).getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topic, null, now, null, PAYLOAD, headers);
    }

    private static Run rawSend(KafkaProducer<byte[], byte[]> producer, String topic, int n) throws InterruptedException {
        CountDownLatch acked = new CountDownLatch(n);
        AtomicReference<Exception> failed = new AtomicReference<>();
        Semaphore window = new Semaphore(IN_FLIGHT);
        Stopwatch watch = new Stopwatch();
        for (int i = 0; i < n; i++) {
            window.acquire();
            producer.send(record(topic), (md, e) -> {
                if (e != null) {
                    failed.compareAndSet(null, e);
                }
                window.release();
                acked.countDown();
            });
        }
        if (!acked.await(5, TimeUnit.MINUTES) || failed.get() != null) {
            throw new IllegalStateException("raw produce failed", failed.get());
        }
        return watch.stop(n);
    }

    static Run rawProduce(String bootstrap, int n) {
        String topic = newTopic(bootstrap, "raw-produce");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(bootstrap))) {
            rawSend(producer, topic, 1);
            return rawSend(producer, topic, n);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static KafkaOptions options(String bootstrap) {
        return KafkaOptions.builder().bootstrapServers(bootstrap).prefetch(PREFETCH)
                .clientProperty("linger.ms", "5").build();
    }

    static Run rivuletProduce(String bootstrap, int n) {
        String topic = newTopic(bootstrap, "rivulet-produce");
        Broker broker = KafkaBroker.create(options(bootstrap));
        try {
            Queue<byte[]> queue = broker.queue(topic, BYTES);
            queue.publish(PAYLOAD).block(Duration.ofSeconds(30));
            Stopwatch watch = new Stopwatch();
            queue.publishAll(Flux.range(0, n).map(i -> Message.of(PAYLOAD))).blockLast(Duration.ofMinutes(5));
            return watch.stop(n);
        } finally {
            broker.close().block(Duration.ofSeconds(30));
        }
    }

    static Run rawEndToEnd(String bootstrap, int n) {
        String topic = newTopic(bootstrap, "raw-e2e");
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + topic);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, PREFETCH);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(bootstrap));
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
            consumer.subscribe(List.of(topic));
            rawSend(producer, topic, 1);
            int warm = 0;
            while (warm < 1) {
                warm += consumer.poll(Duration.ofMillis(100)).count();
            }
            consumer.commitSync();
            // Started before the stopwatch and alive until it stops, so that its allocation counts.
            CountDownLatch go = new CountDownLatch(1);
            CountDownLatch measured = new CountDownLatch(1);
            Thread sender = new Thread(() -> {
                try {
                    go.await();
                    rawSend(producer, topic, n);
                    measured.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            sender.start();
            Stopwatch watch = new Stopwatch();
            go.countDown();
            int seen = 0;
            while (seen < n) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                seen += records.count();
                if (!records.isEmpty()) {
                    consumer.commitAsync();
                }
            }
            Run run = watch.stop(n);
            measured.countDown();
            consumer.commitSync();
            sender.join();
            return run;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Run rivuletEndToEnd(String bootstrap, int n) {
        String topic = newTopic(bootstrap, "rivulet-e2e");
        Broker broker = KafkaBroker.create(options(bootstrap));
        try {
            Queue<byte[]> queue = broker.queue(topic, BYTES);
            CountDownLatch warm = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(n + 1);
            Disposable consuming = queue.consume(ConsumeOptions.builder().prefetch(PREFETCH).build())
                    .subscribe(d -> d.ack().subscribe(v -> { }, e -> { }, () -> {
                        warm.countDown();
                        done.countDown();
                    }));
            queue.publish(PAYLOAD).block(Duration.ofSeconds(30));
            if (!warm.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Rivulet consumer did not start");
            }
            Stopwatch watch = new Stopwatch();
            Disposable producing = queue.publishAll(Flux.range(0, n).map(i -> Message.of(PAYLOAD))).subscribe();
            if (!done.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("Rivulet end-to-end did not finish: " + done.getCount() + " left");
            }
            Run run = watch.stop(n);
            producing.dispose();
            consuming.dispose();
            return run;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            broker.close().block(Duration.ofSeconds(30));
        }
    }
}
