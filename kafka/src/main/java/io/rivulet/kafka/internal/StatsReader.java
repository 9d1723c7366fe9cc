package io.rivulet.kafka.internal;

import io.rivulet.core.QueueStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A queue's counters from Kafka's offsets: ready is the consumer group's lag on the topic (minus
 * what this broker holds in flight or settled above an unsettled record), delayed is the lag of
 * the tier consumers on the queue's delay topics, dead the live entries of {@code <topic>.dlq}.
 * Where this broker owns a partition, its own settled offset is used (it may not be committed yet).
 */
final class StatsReader {

    private record Lag(long ready, long delayed, Map<TopicPartition, Long> mainEnds,
                       Map<TopicPartition, Long> tierEnds) {
    }

    private final KafkaBackend backend;
    private final Map<String, Long> lastReady = new ConcurrentHashMap<>();

    StatsReader(KafkaBackend backend) {
        this.backend = backend;
    }

    long lastReady(String topic) {
        return lastReady.getOrDefault(topic, 0L);
    }

    Mono<QueueStats> stats(String topic) {
        return backend.admin().topics().flatMap(names -> {
            Counters c = backend.counters(topic);
            if (!names.contains(topic)) {
                return Mono.just(new QueueStats(topic, 0, 0, 0, 0, c.completed.sum(), c.failed.sum(), c.retried.sum()));
            }
            Mono<Long> dead = names.contains(DeadLetterStore.topicOf(topic))
                    ? backend.deadLetters().count(topic) : Mono.just(0L);
            TopicConsumer consumer = backend.consumerOf(topic);
            return Mono.zip(lag(topic, names), dead).map(t -> {
                long inFlight = consumer == null ? 0 : consumer.inFlight();
                lastReady.put(topic, t.getT1().ready());
                return new QueueStats(topic, t.getT1().ready(), inFlight, t.getT1().delayed(), t.getT2(),
                        c.completed.sum(), c.failed.sum(), c.retried.sum());
            });
        });
    }

    private Mono<Lag> lag(String topic, Set<String> names) {
        List<String> tierTopics = names.stream().filter(n -> TierConsumer.tierOf(topic, n) != null).toList();
        List<String> all = new ArrayList<>(tierTopics);
        all.add(topic);
        TopicAdmin admin = backend.admin();
        String group = backend.config().group(topic);
        return admin.partitions(all).flatMap(tps -> Mono.zip(
                admin.offsets(tps, false),
                admin.offsets(tps, true),
                admin.committed(group),
                Flux.fromIterable(tierTopics)
                        .flatMap(t -> admin.committed(backend.config().group(t)))
                        .collectList()
                        .map(maps -> {
                            Map<TopicPartition, Long> m = new HashMap<>();
                            maps.forEach(m::putAll);
                            return m;
                        }))
                .map(t -> {
                    Map<TopicPartition, Long> earliest = t.getT1();
                    Map<TopicPartition, Long> latest = t.getT2();
                    Map<TopicPartition, Long> committed = new HashMap<>(t.getT3());
                    committed.putAll(t.getT4());
                    TopicConsumer consumer = backend.consumerOf(topic);
                    Map<TopicPartition, TopicConsumer.Progress> local = consumer == null ? Map.of() : consumer.progress();
                    backend.tierConsumers().values().forEach(tc -> tc.handedBack().forEach(
                            (tp, o) -> committed.merge(tp, o, Math::max)));
                    long ready = 0;
                    long delayed = 0;
                    long held = consumer == null ? 0 : consumer.inFlight();
                    Map<TopicPartition, Long> mainEnds = new HashMap<>();
                    Map<TopicPartition, Long> tierEnds = new HashMap<>();
                    for (TopicPartition tp : tps) {
                        long end = latest.getOrDefault(tp, 0L);
                        long base = committed.getOrDefault(tp, 0L);
                        TopicConsumer.Progress p = local.get(tp);
                        if (p != null && p.committable() >= 0) {
                            base = Math.max(base, p.committable());
                        }
                        long lag = Math.max(0, end - Math.max(base, earliest.getOrDefault(tp, 0L)));
                        if (tp.topic().equals(topic)) {
                            ready += lag - (p == null ? 0 : p.settledAbove());
                            mainEnds.put(tp, end);
                        } else {
                            delayed += lag;
                            tierEnds.put(tp, end);
                        }
                    }
                    return new Lag(Math.max(0, ready - held), delayed, mainEnds, tierEnds);
                }));
    }

    /** Deletes the ready and delayed records of {@code topic}; emits how many there were. */
    Mono<Long> clear(String topic) {
        return backend.admin().topics().flatMap(names -> {
            if (!names.contains(topic)) {
                return Mono.just(0L);
            }
            return lag(topic, names).flatMap(lag -> {
                Map<TopicPartition, Long> ends = new HashMap<>(lag.mainEnds());
                ends.putAll(lag.tierEnds());
                backend.markCleared(ends);
                TopicConsumer consumer = backend.consumerOf(topic);
                if (consumer != null) {
                    consumer.dropReady();
                }
                return backend.admin().deleteBefore(ends).thenReturn(lag.ready() + lag.delayed());
            });
        });
    }
}
