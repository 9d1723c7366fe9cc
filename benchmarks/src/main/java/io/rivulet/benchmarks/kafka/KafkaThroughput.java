package io.rivulet.benchmarks.kafka;

import io.rivulet.core.Broker;
import io.rivulet.core.Codec;
import io.rivulet.core.ConsumeOptions;
import io.rivulet.core.Message;
import io.rivulet.core.Queue;
import io.rivulet.kafka.KafkaBroker;
import io.rivulet.kafka.KafkaOptions;
import io.rivulet.kafka.testing.KafkaTestBroker;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * Rivulet on Kafka against raw kafka-clients with the same settings (idempotent producer,
 * {@code acks=all}, {@code linger.ms=5}, one partition, 100-byte payloads), in one run on one
 * broker: (1) produce N and wait for every acknowledgement; (2) produce N while a consumer (group
 * already joined) consumes and acks/commits them, until the last is consumed. Not JMH: Kafka's
 * own latencies (linger, fetch, commit) dominate, so wall-clock rounds are what is comparable.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.rivulet.benchmarks.kafka.KafkaThroughput [n] [rounds]</pre>
 * (needs {@code -Drivulet.kafka.broker.classpath=kafka/test-broker/target/broker-classpath.txt}).
 */
public final class KafkaThroughput {

    /** One measurement in messages per second. */
    public record Result(String what, double raw, double rivulet) {
        /** Rivulet's throughput as a fraction of raw. */
        public double ratio() {
            return rivulet / raw;
        }

        @Override
        public String toString() {
            return String.format("%-28s raw %,10.0f msg/s   rivulet %,10.0f msg/s   ratio %5.1f %%",
                    what, raw, rivulet, 100 * ratio());
        }
    }

    private static final byte[] PAYLOAD = new byte[100];
    private static final Codec<byte[]> BYTES = Codec.bytes();

    private KafkaThroughput() {
    }

    /** Starts a broker, runs {@code rounds} rounds of each measurement, prints them, stops the broker. */
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        try (KafkaTestBroker kafka = KafkaTestBroker.start()) {
            System.out.println("Kafka broker: " + kafka + "; " + n + " messages of 100 bytes per round");
            for (int r = 1; r <= rounds; r++) {
                for (Result result : run(kafka.bootstrapServers(), n)) {
                    System.out.println("round " + r + "  " + result);
                }
            }
        }
    }

    /** Both measurements once, raw first, each on fresh topics. */
    public static List<Result> run(String bootstrap, int n) {
        return List.of(
                new Result("produce", rawProduce(bootstrap, n), rivuletProduce(bootstrap, n)),
                new Result("produce -> consume -> ack", rawEndToEnd(bootstrap, n), rivuletEndToEnd(bootstrap, n)));
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

    private static double rate(int n, long nanos) {
        return n / (nanos / 1e9);
    }

    private static long rawSend(KafkaProducer<byte[], byte[]> producer, String topic, int n) throws InterruptedException {
        CountDownLatch acked = new CountDownLatch(n);
        AtomicReference<Exception> failed = new AtomicReference<>();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            producer.send(new ProducerRecord<>(topic, PAYLOAD), (md, e) -> {
                if (e != null) {
                    failed.compareAndSet(null, e);
                }
                acked.countDown();
            });
        }
        if (!acked.await(5, TimeUnit.MINUTES) || failed.get() != null) {
            throw new IllegalStateException("raw produce failed", failed.get());
        }
        return System.nanoTime() - start;
    }

    static double rawProduce(String bootstrap, int n) {
        String topic = newTopic(bootstrap, "raw-produce");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(bootstrap))) {
            rawSend(producer, topic, 1);
            return rate(n, rawSend(producer, topic, n));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static KafkaOptions options(String bootstrap) {
        return KafkaOptions.builder().bootstrapServers(bootstrap).prefetch(2000)
                .clientProperty("linger.ms", "5").build();
    }

    static double rivuletProduce(String bootstrap, int n) {
        String topic = newTopic(bootstrap, "rivulet-produce");
        Broker broker = KafkaBroker.create(options(bootstrap));
        try {
            Queue<byte[]> queue = broker.queue(topic, BYTES);
            queue.publish(PAYLOAD).block(Duration.ofSeconds(30));
            long start = System.nanoTime();
            queue.publishAll(Flux.range(0, n).map(i -> Message.of(PAYLOAD))).blockLast(Duration.ofMinutes(5));
            return rate(n, System.nanoTime() - start);
        } finally {
            broker.close().block(Duration.ofSeconds(30));
        }
    }

    static double rawEndToEnd(String bootstrap, int n) {
        String topic = newTopic(bootstrap, "raw-e2e");
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + topic);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
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
            Thread sender = new Thread(() -> {
                try {
                    rawSend(producer, topic, n);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long start = System.nanoTime();
            sender.start();
            int seen = 0;
            while (seen < n) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                seen += records.count();
                if (!records.isEmpty()) {
                    consumer.commitAsync();
                }
            }
            long took = System.nanoTime() - start;
            consumer.commitSync();
            sender.join();
            return rate(n, took);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static double rivuletEndToEnd(String bootstrap, int n) {
        String topic = newTopic(bootstrap, "rivulet-e2e");
        Broker broker = KafkaBroker.create(options(bootstrap));
        try {
            Queue<byte[]> queue = broker.queue(topic, BYTES);
            CountDownLatch warm = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(n + 1);
            Disposable consuming = queue.consume(ConsumeOptions.builder().prefetch(2000).build())
                    .subscribe(d -> d.ack().subscribe(v -> { }, e -> { }, () -> {
                        warm.countDown();
                        done.countDown();
                    }));
            queue.publish(PAYLOAD).block(Duration.ofSeconds(30));
            if (!warm.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Rivulet consumer did not start");
            }
            long start = System.nanoTime();
            Disposable producing = queue.publishAll(Flux.range(0, n).map(i -> Message.of(PAYLOAD))).subscribe();
            if (!done.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("Rivulet end-to-end did not finish: " + done.getCount() + " left");
            }
            long took = System.nanoTime() - start;
            producing.dispose();
            consuming.dispose();
            return rate(n, took);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            broker.close().block(Duration.ofSeconds(30));
        }
    }
}
