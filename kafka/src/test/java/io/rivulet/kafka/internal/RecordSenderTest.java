package io.rivulet.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.kafka.KafkaOptions;
import io.rivulet.kafka.testing.KafkaBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** {@link RecordSender} on the real test broker: order, window, errors and threads of publishing. */
@ExtendWith(KafkaBrokerExtension.class)
class RecordSenderTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int MAX_REQUEST = 64 * 1024;

    private RecordSender sender;
    private Admin admin;

    @BeforeEach
    void setUp() {
        KafkaOptions options = KafkaOptions.builder()
                .bootstrapServers(KafkaBrokerExtension.broker().bootstrapServers())
                .apiTimeout(Duration.ofSeconds(15))
                .clientProperty("linger.ms", "1")
                .build();
        Map<String, Object> config = new ClientConfig(options).producer();
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST);
        sender = new RecordSender(config, "sender-test");
        admin = Admin.create(Map.of("bootstrap.servers", KafkaBrokerExtension.broker().bootstrapServers()));
    }

    @AfterEach
    void tearDown() {
        sender.close();
        admin.close();
    }

    private String topic(int partitions) throws Exception {
        String topic = "sender." + UUID.randomUUID().toString().substring(0, 8);
        admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty()))).all()
                .get(30, TimeUnit.SECONDS);
        return topic;
    }

    private static RecordSender.Outgoing<Long> record(String topic, long i, int bytes) {
        return new RecordSender.Outgoing<>(new ProducerRecord<>(topic, ("k" + i % 7).getBytes(), new byte[bytes]), i);
    }

    private long stored(String topic, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> ends = new java.util.HashMap<>();
        for (int p = 0; p < partitions; p++) {
            ends.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return admin.listOffsets(ends).all().get(30, TimeUnit.SECONDS).values().stream()
                .mapToLong(i -> i.offset()).sum();
    }

    @Test
    void sendAllEmitsEveryValueInInputOrderAcrossPartitionsAndStoresEveryRecord() throws Exception {
        String topic = topic(3);
        int n = 20_000;
        List<Long> emitted = sender.sendAll(Flux.range(0, n).map(i -> record(topic, i, 50)), (e, v) -> e)
                .collectList().block(PATIENCE);
        assertThat(emitted).containsExactlyElementsOf(LongStream.range(0, n).boxed().collect(Collectors.toList()));
        assertThat(stored(topic, 3)).isEqualTo(n);
    }

    @Test
    void sendAllSendsNoMoreThanTheWindowAheadOfDownstreamDemand() throws Exception {
        String topic = topic(1);
        AtomicLong pulled = new AtomicLong();
        Flux<RecordSender.Outgoing<Long>> records = Flux.range(0, 3 * RecordSender.WINDOW)
                .map(i -> record(topic, i, 10))
                .doOnNext(r -> pulled.incrementAndGet());
        StepVerifier.create(sender.sendAll(records, (e, v) -> e), 0)
                .thenRequest(10)
                .expectNextCount(10)
                .then(() -> {
                    long deadline = System.nanoTime() + PATIENCE.toNanos();
                    while (pulled.get() < RecordSender.WINDOW + 10 && System.nanoTime() < deadline) {
                        Mono.delay(Duration.ofMillis(20)).block();
                    }
                })
                .thenCancel()
                .verify(PATIENCE);
        assertThat(pulled.get()).isEqualTo(RecordSender.WINDOW + 10);
    }

    @Test
    void aRecordKafkaRefusesEndsTheStreamAfterTheValuesBeforeIt() throws Exception {
        String topic = topic(1);
        Flux<RecordSender.Outgoing<Long>> records = Flux.just(record(topic, 0, 10), record(topic, 1, 10),
                record(topic, 2, 2 * MAX_REQUEST), record(topic, 3, 10));
        StepVerifier.create(sender.sendAll(records, (e, v) -> new IllegalStateException("record " + v, e)))
                .expectNext(0L, 1L)
                .expectErrorSatisfies(e -> assertThat(e).hasMessage("record 2")
                        .hasCauseInstanceOf(RecordTooLargeException.class))
                .verify(PATIENCE);
    }

    @Test
    void anUpstreamErrorEndsTheStreamUnchangedAfterEverySentRecordIsAcknowledged() throws Exception {
        String topic = topic(1);
        IllegalArgumentException upstream = new IllegalArgumentException("bad message");
        Flux<RecordSender.Outgoing<Long>> records = Flux.range(0, 100).map(i -> record(topic, i, 10))
                .concatWith(Mono.error(upstream));
        StepVerifier.create(sender.sendAll(records, (e, v) -> new IllegalStateException("translated", e)))
                .expectNextCount(100)
                .expectErrorSatisfies(e -> assertThat(e).isSameAs(upstream))
                .verify(PATIENCE);
        assertThat(stored(topic, 1)).isEqualTo(100);
    }

    @Test
    void resultsNeverArriveOnKafkasNetworkThread() throws Exception {
        String topic = topic(1);
        List<String> threads = new CopyOnWriteArrayList<>();
        sender.sendAll(Flux.range(0, 2_000).map(i -> record(topic, i, 10)), (e, v) -> e)
                .doOnNext(v -> threads.add(Thread.currentThread().getName()))
                .blockLast(PATIENCE);
        sender.send(new ProducerRecord<>(topic, new byte[1]))
                .doOnSuccess(v -> threads.add(Thread.currentThread().getName()))
                .block(PATIENCE);
        assertThat(threads).hasSize(2_001).allSatisfy(t -> assertThat(t).startsWith("sender-test-results"));
    }

    @Test
    void aClosedSenderFailsNewSendsClearly() {
        sender.close();
        StepVerifier.create(sender.send(new ProducerRecord<>("any", new byte[1])))
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("producer is closed"))
                .verify(PATIENCE);
        List<Throwable> failures = new ArrayList<>();
        StepVerifier.create(sender.sendAll(Flux.just(record("any", 0, 1)), (e, v) -> {
                    failures.add(e);
                    return e;
                }))
                .expectError(IllegalStateException.class)
                .verify(PATIENCE);
        assertThat(failures).hasSize(1);
    }
}
