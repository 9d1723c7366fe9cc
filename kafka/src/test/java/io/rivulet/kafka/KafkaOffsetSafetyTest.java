package io.rivulet.kafka;

import static io.rivulet.kafka.KafkaTestSupport.await;
import static io.rivulet.kafka.KafkaTestSupport.committed;
import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.Broker;
import io.rivulet.core.Delivery;
import io.rivulet.core.Handle;
import io.rivulet.core.HandleOptions;
import io.rivulet.core.Message;
import io.rivulet.core.Queue;
import io.rivulet.kafka.testing.KafkaBrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** Out-of-order settlement never commits past an unsettled record. */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaOffsetSafetyTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private final List<Broker> brokers = new CopyOnWriteArrayList<>();
    private Admin admin;

    @BeforeEach
    void open() {
        admin = KafkaTestSupport.admin();
    }

    @AfterEach
    void close() {
        brokers.forEach(b -> b.close().block(Duration.ofSeconds(15)));
        admin.close();
    }

    private Broker broker() {
        Broker b = KafkaBroker.create(KafkaTestOptions.builder().visibilityTimeout(Duration.ofMinutes(5)).build());
        brokers.add(b);
        return b;
    }

    @Test
    void slowFirstRecordHoldsTheCommittedOffsetWhileLaterOnesFinish() {
        Broker broker = broker();
        String topic = KafkaTestSupport.topic("safety.slow-first");
        Queue<Integer> queue = broker.queue(topic, Integer.class);
        queue.publishAll(Flux.range(0, 10).map(Message::of)).then().block(PATIENCE);
        Sinks.Empty<Void> gate = Sinks.empty();
        Set<Integer> done = ConcurrentHashMap.newKeySet();

        Disposable consuming = queue.consume()
                .transform(Handle.concurrently((Message<Integer> m) -> m.payload() == 0 ? gate.asMono() : Mono.empty(),
                        HandleOptions.builder().concurrency(4).build()))
                .doOnNext(o -> done.add(o.message().payload()))
                .subscribe();
        try {
            await("records 1..9 acked", PATIENCE, () -> done.size() == 9);
            assertThat(done).doesNotContain(0);
            // Give the consumer several commit intervals to (wrongly) commit past record 0.
            Mono.delay(Duration.ofMillis(800)).block();
            assertThat(committed(admin, "rivulet." + topic, topic)).isZero();
            assertThat(queue.stats().block(PATIENCE).inFlight()).isEqualTo(1);

            gate.tryEmitEmpty();
            await("record 0 acked", PATIENCE, () -> done.contains(0));
            await("offset 10 committed", PATIENCE, () -> committed(admin, "rivulet." + topic, topic) == 10);
        } finally {
            consuming.dispose();
        }
    }

    @Test
    void recordsSettledAboveAnUnsettledOneComeBackToTheNextMemberAfterALoss() {
        Broker first = broker();
        String topic = KafkaTestSupport.topic("safety.crash");
        Queue<Integer> queue = first.queue(topic, Integer.class);
        queue.publishAll(Flux.range(0, 5).map(Message::of)).then().block(PATIENCE);

        List<Delivery<Integer>> taken = queue.consume().take(5).collectList().block(PATIENCE);
        // Settle 1..4, leave 0 unsettled, then the member goes away.
        Flux.fromIterable(taken.subList(1, 5)).concatMap(Delivery::ack).then().block(PATIENCE);
        Mono.delay(Duration.ofMillis(500)).block();
        assertThat(committed(admin, "rivulet." + topic, topic)).isZero();
        first.close().block(PATIENCE);

        Broker second = broker();
        List<Integer> again = second.queue(topic, Integer.class).consume()
                .concatMap(d -> d.ack().thenReturn(d.message().payload()))
                .take(5).collectList().block(PATIENCE);
        // At least once: the unsettled record comes back, and so do the ones after it.
        assertThat(again).containsExactly(0, 1, 2, 3, 4);
        await("offset 5 committed", PATIENCE, () -> committed(admin, "rivulet." + topic, topic) == 5);
    }

    @Test
    void nackedAndDeadLetteredRecordsAlsoCommitOnlyInOrder() {
        Broker broker = broker();
        String topic = KafkaTestSupport.topic("safety.mixed");
        Queue<Integer> queue = broker.queue(topic, Integer.class);
        queue.publishAll(Flux.range(0, 4).map(Message::of)).then().block(PATIENCE);
        List<Delivery<Integer>> taken = queue.consume().take(4).collectList().block(PATIENCE);

        taken.get(3).deadLetter("bad").block(PATIENCE);
        taken.get(2).nack(Duration.ofHours(1)).block(PATIENCE);
        taken.get(1).ack().block(PATIENCE);
        Mono.delay(Duration.ofMillis(500)).block();
        assertThat(committed(admin, "rivulet." + topic, topic)).isZero();

        taken.get(0).ack().block(PATIENCE);
        await("offset 4 committed", PATIENCE, () -> committed(admin, "rivulet." + topic, topic) == 4);
        assertThat(queue.stats().block(PATIENCE)).satisfies(s -> {
            assertThat(s.ready()).isZero();
            assertThat(s.delayed()).isEqualTo(1);
            assertThat(s.dead()).isEqualTo(1);
        });
    }

}
