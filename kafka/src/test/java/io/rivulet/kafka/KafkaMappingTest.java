package io.rivulet.kafka;

import static io.rivulet.kafka.KafkaTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.Broker;
import io.rivulet.core.Handle;
import io.rivulet.core.HandleOptions;
import io.rivulet.core.Message;
import io.rivulet.core.Queue;
import io.rivulet.kafka.testing.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** How Rivulet's model lands on Kafka: companion topics, headers, keyed order, lag. */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaMappingTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private final List<Broker> brokers = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        brokers.forEach(b -> b.close().block(Duration.ofSeconds(15)));
    }

    private Broker broker(KafkaOptions.Builder options) {
        Broker b = KafkaBroker.create(options.build());
        brokers.add(b);
        return b;
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        Map<String, Object> p = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBrokerExtension.broker().bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + System.nanoTime(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void deadLettersAreRecordsOfTheDlqTopicWithReasonHeaders() {
        Broker broker = broker(KafkaTestOptions.builder());
        String topic = KafkaTestSupport.topic("mapping.dlq");
        Queue<String> queue = broker.queue(topic, String.class);
        queue.publish(Message.builder("payload").id("order-7").key("customer-1").header("trace", "t1").build())
                .block(PATIENCE);
        queue.consume().next().flatMap(d -> d.deadLetter("card declined", new IllegalStateException("no funds")))
                .block(PATIENCE);

        List<ConsumerRecord<byte[], byte[]>> dlq = readAll(topic + ".dlq", 1);
        assertThat(dlq).hasSize(1);
        ConsumerRecord<byte[], byte[]> r = dlq.get(0);
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("customer-1");
        assertThat(header(r, "rivulet.id")).isEqualTo("order-7");
        assertThat(header(r, "rivulet.dlq.reason")).isEqualTo("card declined");
        assertThat(header(r, "rivulet.dlq.error-class")).isEqualTo(IllegalStateException.class.getName());
        assertThat(header(r, "rivulet.dlq.error-message")).isEqualTo("no funds");
        assertThat(header(r, "trace")).isEqualTo("t1");
    }

    @Test
    void delayedMessagesWaitInTheirQueuesDelayTierTopics() throws Exception {
        Broker broker = broker(KafkaTestOptions.builder());
        String topic = KafkaTestSupport.topic("mapping.tiers");
        Queue<Integer> queue = broker.queue(topic, Integer.class);
        queue.publishDelayed(Message.of(1), Duration.ofMillis(1500)).block(PATIENCE);
        queue.publishDelayed(Message.of(2), Duration.ofSeconds(6)).block(PATIENCE);

        try (Admin admin = KafkaTestSupport.admin()) {
            assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS))
                    .contains(topic, topic + ".delay.1000ms", topic + ".delay.5000ms");
        }
        assertThat(broker.admin().queues().collectList().block(PATIENCE)).contains(topic)
                .noneMatch(q -> q.startsWith(topic + ".delay"));
        long start = System.nanoTime();
        List<Integer> got = queue.consume().concatMap(d -> d.ack().thenReturn(d.message().payload()))
                .take(2).collectList().block(PATIENCE);
        assertThat(got).containsExactly(1, 2);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void keyedMessagesKeepTheirOrderPerKeyAcrossPartitions() {
        Broker broker = broker(KafkaTestOptions.builder().partitions(3));
        String topic = KafkaTestSupport.topic("mapping.keys");
        Queue<Integer> queue = broker.queue(topic, Integer.class);
        queue.publishAll(Flux.range(0, 60).map(i -> Message.builder(i).key("k" + (i % 5)).build()))
                .then().block(PATIENCE);
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        Random random = new Random(7);

        Disposable d = queue.consume()
                .transform(Handle.inKeyOrder((Message<Integer> m) -> Mono.delay(Duration.ofMillis(random.nextInt(5)))
                                .doOnNext(x -> seen.computeIfAbsent(m.key(), k -> new CopyOnWriteArrayList<>())
                                        .add(m.payload())).then(),
                        HandleOptions.builder().concurrency(4).build()))
                .subscribe();
        try {
            await("60 handled", PATIENCE, () -> seen.values().stream().mapToInt(List::size).sum() == 60);
            seen.forEach((key, list) -> assertThat(list).as(key).isSorted());
            assertThat(seen).hasSize(5);
        } finally {
            d.dispose();
        }
    }

    @Test
    void sizeIsTheGroupsLag() {
        Broker broker = broker(KafkaTestOptions.builder());
        String topic = KafkaTestSupport.topic("mapping.lag");
        Queue<Integer> queue = broker.queue(topic, Integer.class);
        queue.publishAll(Flux.range(0, 7).map(Message::of)).then().block(PATIENCE);
        assertThat(queue.stats().block(PATIENCE).ready()).isEqualTo(7);

        Broker other = broker(KafkaTestOptions.builder());
        other.queue(topic, Integer.class).consume().concatMap(dl -> dl.ack().thenReturn(1)).take(3)
                .then().block(PATIENCE);
        other.close().block(PATIENCE);
        // Another broker of the same group consumed 3 and committed: the lag is what is left.
        await("lag 4", PATIENCE, () -> queue.stats().block(PATIENCE).ready() == 4);
    }
}
