package io.rivulet.kafka;

import static io.rivulet.kafka.KafkaTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.Broker;
import io.rivulet.core.Delivery;
import io.rivulet.core.Message;
import io.rivulet.core.Queue;
import io.rivulet.kafka.testing.KafkaBrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/** Consumers joining and leaving a group: unsettled records go to the partition's new owner. */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaRebalanceTest {

    private static final Duration PATIENCE = Duration.ofSeconds(45);
    private final List<Broker> brokers = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        brokers.forEach(b -> b.close().block(Duration.ofSeconds(15)));
    }

    private Broker member(String group) {
        Broker b = KafkaBroker.create(KafkaTestOptions.builder().partitions(3).consumerGroup(group)
                .visibilityTimeout(Duration.ofMinutes(5)).build());
        brokers.add(b);
        return b;
    }

    private static Flux<Message<Integer>> keyed(int n) {
        return Flux.range(0, n).map(i -> Message.builder(i).key("k" + (i % 6)).build());
    }

    @Test
    void unsettledRecordsOfAMovedPartitionGoToTheJoiningMemberAndTheRestAfterTheOldOneLeaves() {
        String topic = KafkaTestSupport.topic("rebalance.join-leave");
        Broker a = member("rivulet");
        Queue<Integer> queueA = a.queue(topic, Integer.class);
        queueA.publishAll(keyed(30)).then().block(PATIENCE);

        // A takes everything and settles nothing.
        List<Delivery<Integer>> held = new CopyOnWriteArrayList<>();
        Disposable holding = queueA.consume().subscribe(held::add);
        await("A holds all 30", PATIENCE, () -> held.size() == 30);

        // B joins: cooperative rebalancing moves partitions to it, with A's unsettled records.
        Set<Integer> ackedByB = ConcurrentHashMap.newKeySet();
        Disposable b = member("rivulet").queue(topic, Integer.class).consume()
                .concatMap(d -> d.ack().doOnSuccess(v -> ackedByB.add(d.message().payload())))
                .subscribe();
        try {
            await("B got a partition and its records", PATIENCE, () -> !ackedByB.isEmpty());
            assertThat(ackedByB.size()).isLessThan(30);

            // A leaves without settling: B gets A's partitions from their committed offsets.
            holding.dispose();
            a.close().block(PATIENCE);
            await("B acked every record", PATIENCE, () -> ackedByB.size() == 30);
            assertThat(ackedByB).containsExactlyInAnyOrderElementsOf(
                    IntStream.range(0, 30).boxed().collect(Collectors.toSet()));
        } finally {
            b.dispose();
        }
    }

    @Test
    void settlingARecordAfterItsPartitionMovedDoesNotCommitForTheNewOwner() {
        String topic = KafkaTestSupport.topic("rebalance.late-ack");
        Broker a = member("rivulet");
        Queue<Integer> queueA = a.queue(topic, Integer.class);
        queueA.publishAll(keyed(12)).then().block(PATIENCE);
        List<Delivery<Integer>> held = new CopyOnWriteArrayList<>();
        Disposable holding = queueA.consume().subscribe(held::add);
        await("A holds all 12", PATIENCE, () -> held.size() == 12);

        Set<Integer> seenByB = ConcurrentHashMap.newKeySet();
        List<Delivery<Integer>> heldByB = new CopyOnWriteArrayList<>();
        Disposable b = member("rivulet").queue(topic, Integer.class).consume()
                .doOnNext(d -> {
                    seenByB.add(d.message().payload());
                    heldByB.add(d);
                })
                .subscribe();
        try {
            await("B got records of a moved partition", PATIENCE, () -> !seenByB.isEmpty());
            // A acks everything late: only its own partitions may commit.
            Flux.fromIterable(held).concatMap(Delivery::ack).then().block(PATIENCE);
            try (var admin = KafkaTestSupport.admin()) {
                long committed = KafkaTestSupport.committed(admin, "rivulet." + topic, topic);
                assertThat(committed).isLessThanOrEqualTo(12 - seenByB.size());
            }
            // B still owns its records: settling them completes the queue.
            Flux.fromIterable(heldByB).concatMap(Delivery::ack).then().block(PATIENCE);
            try (var admin = KafkaTestSupport.admin()) {
                await("every offset committed", PATIENCE,
                        () -> KafkaTestSupport.committed(admin, "rivulet." + topic, topic) == 12);
            }
        } finally {
            holding.dispose();
            b.dispose();
        }
    }

    @Test
    void differentGroupsEachGetEveryMessage() {
        String topic = KafkaTestSupport.topic("rebalance.fan-out");
        Broker billing = member("billing");
        Broker mail = member("mail");
        billing.queue(topic, Integer.class).publishAll(keyed(10)).then().block(PATIENCE);

        List<Integer> a = billing.queue(topic, Integer.class).consume()
                .concatMap(d -> d.ack().thenReturn(d.message().payload())).take(10).collectList().block(PATIENCE);
        List<Integer> b = mail.queue(topic, Integer.class).consume()
                .concatMap(d -> d.ack().thenReturn(d.message().payload())).take(10).collectList().block(PATIENCE);
        assertThat(a).containsExactlyInAnyOrderElementsOf(b).hasSize(10);
    }
}
