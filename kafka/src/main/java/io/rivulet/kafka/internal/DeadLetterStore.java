package io.rivulet.kafka.internal;

import io.rivulet.core.DeadLetter;
import io.rivulet.core.Message;
import io.rivulet.core.spi.DeadLetterRecord;
import io.rivulet.core.spi.ReservedHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Dead letters in {@code <topic>.dlq}: each is the original record plus {@code rivulet.dlq.*}
 * headers (reason, error class and message, attempts, failure times). Kafka cannot delete one
 * record, so a replay writes a <em>removal marker</em> (key = message id) after re-publishing the
 * message; the live dead letters are those not followed by a marker for their id. Listing reads
 * the whole dlq topic from the start with a group-less consumer on its own thread (cached while
 * the topic's offsets are unchanged). Purge deletes the topic's records.
 */
final class DeadLetterStore {

    static final String SUFFIX = ".dlq";
    private static final String REASON = "rivulet.dlq.reason";
    private static final String ERROR_CLASS = "rivulet.dlq.error-class";
    private static final String ERROR_MESSAGE = "rivulet.dlq.error-message";
    private static final String ATTEMPTS = "rivulet.dlq.attempts";
    private static final String FIRST = "rivulet.dlq.first-failure";
    private static final String LAST = "rivulet.dlq.last-failure";
    private static final String REPLAYS = "rivulet.dlq.replays";
    private static final String REMOVED = "rivulet.dlq.removed";

    private record Snapshot(Map<TopicPartition, Long> start, Map<TopicPartition, Long> end, List<DeadLetter> live) {
    }

    private final KafkaBackend backend;
    private final ExecutorService thread;
    private final Scheduler readerScheduler;
    private final Map<String, Snapshot> cache = new ConcurrentHashMap<>();
    private final Map<String, Set<Sinks.Empty<Void>>> writing = new ConcurrentHashMap<>();
    private KafkaConsumer<byte[], byte[]> reader; // only touched on the reader thread

    DeadLetterStore(KafkaBackend backend) {
        this.backend = backend;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rivulet-kafka-dlq-reader");
            t.setDaemon(true);
            return t;
        });
        this.readerScheduler = Schedulers.fromExecutorService(thread);
    }

    static String topicOf(String topic) {
        return topic + SUFFIX;
    }

    /** Writes {@code message} to its topic's dead letters for {@code record}'s reason. */
    Mono<Void> write(Message<byte[]> message, DeadLetterRecord record) {
        return Mono.defer(() -> {
            // Registered until written, so that this broker's listings see their own dead letters.
            Sinks.Empty<Void> done = Sinks.empty();
            Set<Sinks.Empty<Void>> pending = writing.computeIfAbsent(message.topic(), t -> ConcurrentHashMap.newKeySet());
            pending.add(done);
            return doWrite(message, record).doFinally(s -> {
                pending.remove(done);
                done.tryEmitEmpty();
            });
        });
    }

    private Mono<Void> doWrite(Message<byte[]> message, DeadLetterRecord record) {
        return Mono.defer(() -> {
            Instant now = Instant.ofEpochMilli(backend.now());
            DeadLetter dl = ReservedHeaders.deadLetter(message, record, now);
            String dlq = topicOf(message.topic());
            ProducerRecord<byte[], byte[]> r = Envelope.record(dlq, message, 0, now.toEpochMilli());
            r.headers().add(REASON, Envelope.utf8(dl.reason()));
            if (dl.errorClass() != null) {
                r.headers().add(ERROR_CLASS, Envelope.utf8(dl.errorClass()));
            }
            if (dl.errorMessage() != null) {
                r.headers().add(ERROR_MESSAGE, Envelope.utf8(dl.errorMessage()));
            }
            r.headers().add(ATTEMPTS, Envelope.utf8(Integer.toString(dl.attempts())));
            r.headers().add(FIRST, Envelope.utf8(dl.firstFailureAt().toString()));
            r.headers().add(LAST, Envelope.utf8(dl.lastFailureAt().toString()));
            r.headers().add(REPLAYS, Envelope.utf8(Integer.toString(dl.replays())));
            return backend.admin().ensure(dlq, true).then(backend.send(r, "dead-lettering to '" + dlq + "'"));
        });
    }

    /** The live dead letters of {@code topic}, oldest first, including this broker's writes in progress. */
    Mono<List<DeadLetter>> live(String topic) {
        String dlq = topicOf(topic);
        Set<Sinks.Empty<Void>> pending = writing.getOrDefault(topic, Set.of());
        return Flux.fromIterable(List.copyOf(pending)).flatMap(Sinks.Empty::asMono).then()
                .then(backend.admin().describe(dlq))
                .flatMap(n -> Mono.fromCallable(() -> read(topic, dlq)).subscribeOn(readerScheduler))
                .defaultIfEmpty(List.of());
    }

    Flux<DeadLetter> list(String topic, int limit) {
        return live(topic).flatMapMany(l -> Flux.fromIterable(l).take(limit));
    }

    Mono<Long> count(String topic) {
        return live(topic).map(l -> (long) l.size());
    }

    /** Re-publishes the dead letter {@code id}, then marks it removed; emits whether it existed. */
    Mono<Boolean> replay(String topic, String id) {
        return live(topic).flatMap(l -> l.stream().filter(dl -> dl.id().equals(id)).findFirst()
                .map(dl -> replayOne(topic, dl).thenReturn(true))
                .orElse(Mono.just(false)));
    }

    Mono<Long> replayAll(String topic) {
        return live(topic).flatMap(l -> Flux.fromIterable(l).concatMap(dl -> replayOne(topic, dl).thenReturn(1)).count());
    }

    private Mono<Void> replayOne(String topic, DeadLetter dl) {
        String dlq = topicOf(topic);
        ProducerRecord<byte[], byte[]> marker = new ProducerRecord<>(dlq, null, backend.now(),
                Envelope.utf8(dl.id()), new byte[0]);
        marker.headers().add(REMOVED, Envelope.utf8("1"));
        marker.headers().add(Envelope.ID, Envelope.utf8(dl.id()));
        return backend.route(ReservedHeaders.replayOf(dl), 0)
                .then(backend.send(marker, "marking a replayed dead letter in '" + dlq + "'"))
                .doFinally(s -> cache.remove(topic));
    }

    /** Deletes every dead letter of {@code topic}; emits how many were live. */
    Mono<Long> purge(String topic) {
        String dlq = topicOf(topic);
        return live(topic).flatMap(l -> backend.admin().partitions(List.of(dlq))
                .flatMap(tps -> backend.admin().offsets(tps, true))
                .flatMap(backend.admin()::deleteBefore)
                .doFinally(s -> cache.remove(topic))
                .thenReturn((long) l.size()));
    }

    // On the reader thread.
    private List<DeadLetter> read(String topic, String dlq) {
        if (reader == null) {
            reader = new KafkaConsumer<>(backend.config().reader());
        }
        Duration timeout = backend.config().options().apiTimeout();
        List<PartitionInfo> infos = reader.partitionsFor(dlq, timeout);
        List<TopicPartition> tps = infos == null ? List.of()
                : infos.stream().map(i -> new TopicPartition(dlq, i.partition())).toList();
        if (tps.isEmpty()) {
            return List.of();
        }
        Map<TopicPartition, Long> start = reader.beginningOffsets(tps, timeout);
        Map<TopicPartition, Long> end = reader.endOffsets(tps, timeout);
        Snapshot cached = cache.get(topic);
        if (cached != null && cached.start().equals(start) && cached.end().equals(end)) {
            return cached.live();
        }
        reader.assign(tps);
        reader.seekToBeginning(tps);
        Map<String, DeadLetter> live = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!caughtUp(tps, end)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Reading dead letters of '" + topic + "' from Kafka at "
                        + backend.config().options().bootstrapServers() + " took longer than KafkaOptions.apiTimeout");
            }
            ConsumerRecords<byte[], byte[]> records = reader.poll(Duration.ofMillis(100));
            for (ConsumerRecord<byte[], byte[]> r : records) {
                if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                    continue;
                }
                String id = Envelope.header(r, Envelope.ID);
                if (Envelope.header(r, REMOVED) != null) {
                    live.remove(id);
                } else {
                    DeadLetter dl = parse(topic, r);
                    live.remove(dl.id());
                    live.put(dl.id(), dl);
                }
            }
        }
        List<DeadLetter> out = new ArrayList<>(live.values());
        out.sort(Comparator.comparing(DeadLetter::lastFailureAt));
        List<DeadLetter> result = List.copyOf(out);
        cache.put(topic, new Snapshot(start, end, result));
        return result;
    }

    private boolean caughtUp(List<TopicPartition> tps, Map<TopicPartition, Long> end) {
        for (TopicPartition tp : tps) {
            if (reader.position(tp) < end.get(tp)) {
                return false;
            }
        }
        return true;
    }

    private static DeadLetter parse(String topic, ConsumerRecord<byte[], byte[]> r) {
        Message<byte[]> m = Envelope.message(topic, r);
        String attempts = Envelope.header(r, ATTEMPTS);
        String replays = Envelope.header(r, REPLAYS);
        String first = Envelope.header(r, FIRST);
        String last = Envelope.header(r, LAST);
        Instant lastAt = last == null ? Instant.ofEpochMilli(r.timestamp()) : Instant.parse(last);
        return new DeadLetter(m, String.valueOf(Envelope.header(r, REASON)), Envelope.header(r, ERROR_CLASS),
                Envelope.header(r, ERROR_MESSAGE), attempts == null ? 1 : Integer.parseInt(attempts),
                first == null ? lastAt : Instant.parse(first), lastAt, replays == null ? 0 : Integer.parseInt(replays));
    }

    void close() {
        thread.execute(() -> {
            if (reader != null) {
                reader.close(Duration.ofSeconds(1));
            }
        });
        thread.shutdown();
    }
}
