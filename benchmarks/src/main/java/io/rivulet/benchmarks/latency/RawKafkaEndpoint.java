package io.rivulet.benchmarks.latency;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Raw kafka-clients with the settings Rivulet's Kafka backend uses: an idempotent producer with
 * {@code acks=all} and {@code linger.ms=5}, one {@code send} per message; a group member on a
 * thread of its own polling every 100 ms at most ({@code max.poll.records} 500 = Rivulet's
 * default prefetch, {@code read_committed}, no auto-commit) that calls the handler per record,
 * marks it settled and commits asynchronously at most every 100 ms, as Rivulet's consumer commits.
 * What it skips: Reactor Kafka, the offset tracker that commits only past settled records,
 * priority ordering of the fetch window, message objects and metrics.
 */
final class RawKafkaEndpoint implements Endpoint {

    private static final long COMMIT_EVERY_MS = 100;

    private final String bootstrap;
    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final FirstFailure failure = new FirstFailure();
    private volatile boolean closed;
    private Thread poller;

    RawKafkaEndpoint(String bootstrap, String topic, String group) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "latency-raw-producer");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producer = new KafkaProducer<>(p);
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "latency-raw-" + group);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumer = new KafkaConsumer<>(c);
    }

    @Override
    public String name() {
        return "raw kafka-clients";
    }

    @Override
    public void start(Consumer<byte[]> handler) {
        consumer.subscribe(List.of(topic));
        poller = new Thread(() -> poll(handler), "latency-raw-kafka-poller");
        poller.setDaemon(true);
        poller.start();
    }

    private void poll(Consumer<byte[]> handler) {
        long lastCommit = System.nanoTime();
        boolean uncommitted = false;
        try {
            while (!closed) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    handler.accept(r.value());
                    uncommitted = true;
                }
                if (uncommitted && System.nanoTime() - lastCommit >= COMMIT_EVERY_MS * 1_000_000) {
                    consumer.commitAsync((offsets, e) -> {
                        if (e != null) {
                            failed(e);
                        }
                    });
                    lastCommit = System.nanoTime();
                    uncommitted = false;
                }
            }
        } catch (WakeupException e) {
            // close() woke the poller up
        } catch (RuntimeException e) {
            failed(e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void send(byte[] payload) {
        producer.send(new ProducerRecord<>(topic, payload), (md, e) -> {
            if (e != null) {
                failed(e);
            }
        });
    }

    private void failed(Throwable e) {
        if (!closed) {
            failure.record(e);
        }
    }

    @Override
    public void check() {
        failure.check("raw kafka-clients on " + bootstrap);
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            if (poller != null) {
                poller.join(10_000); // the poller closes the consumer on its way out
            } else {
                consumer.close(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
