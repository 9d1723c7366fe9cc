package io.rivulet.kafka.internal;

import io.rivulet.core.Message;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.kafka.receiver.KafkaReceiver;
import reactor.kafka.receiver.ReceiverOptions;
import reactor.kafka.receiver.ReceiverRecord;
import reactor.util.retry.Retry;

/**
 * The consumer of one delay-tier topic ({@code <topic>.delay.<ms>ms}) of one queue. It takes one
 * record at a time and waits until the record is due or has waited the tier's length, whichever
 * comes first; meanwhile it requests nothing, so Reactor Kafka pauses the partitions (the
 * consumer stays in its group). Then it writes the message back to the queue's topic (or, if it
 * is still not due, to the tier that fits what is left) and commits. Because every record of a
 * tier waits the same length after it was written, waiting for the head never holds back a record
 * that is due earlier, except within the shortest tier.
 */
final class TierConsumer {

    private final KafkaBackend backend;
    private final String target;
    private final String tierTopic;
    private final Duration tier;
    // Per partition: the offset below which every record was handed back.
    private final Map<TopicPartition, Long> handedBack = new ConcurrentHashMap<>();
    private volatile Disposable running;

    TierConsumer(KafkaBackend backend, String target, String tierTopic, Duration tier) {
        this.backend = backend;
        this.target = target;
        this.tierTopic = tierTopic;
        this.tier = tier;
    }

    String group() {
        return backend.config().group(tierTopic);
    }

    void start() {
        ReceiverOptions<byte[], byte[]> options = ReceiverOptions.<byte[], byte[]>create(
                        backend.config().consumer(group()))
                .subscription(List.of(tierTopic))
                .commitInterval(Duration.ofMillis(100))
                .commitBatchSize(0)
                .closeTimeout(Duration.ofSeconds(5))
                // Never hold a rebalance for unsettled records: offsets only move past settled ones
                // anyway, and the partition's new owner gets what is unsettled.
                .maxDelayRebalance(Duration.ZERO);
        running = KafkaReceiver.create(options).receive()
                .concatMap(this::handle, 1)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(5)))
                .subscribe();
    }

    private Mono<Void> handle(ReceiverRecord<byte[], byte[]> r) {
        long now = backend.now();
        String dueText = Envelope.header(r, Envelope.AVAILABLE_AT);
        long due = dueText == null ? now : Long.parseLong(dueText);
        long wait = Math.max(0, Math.min(due, r.timestamp() + tier.toMillis()) - now);
        return Mono.delay(Duration.ofMillis(wait), backend.scheduler())
                .then(Mono.defer(() -> {
                    TopicPartition tp = r.receiverOffset().topicPartition();
                    if (r.offset() < backend.clearedBefore(tp)) {
                        return Mono.empty();
                    }
                    Message<byte[]> m = Envelope.message(target, r);
                    return backend.route(m, Envelope.delivered(r))
                            .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200))
                                    .maxBackoff(Duration.ofSeconds(5)));
                }))
                .then(Mono.fromRunnable(() -> {
                    r.receiverOffset().acknowledge();
                    handedBack.put(r.receiverOffset().topicPartition(), r.offset() + 1);
                }));
    }

    /** Per partition, the offset below which this consumer handed every record back. */
    Map<TopicPartition, Long> handedBack() {
        return handedBack;
    }

    void close() {
        Disposable d = running;
        if (d != null) {
            d.dispose();
        }
    }

    /** The tier topic of {@code topic} for {@code tier}. */
    static String topicName(String topic, Duration tier) {
        return topic + ".delay." + tier.toMillis() + "ms";
    }

    /** The tier length of a tier topic name of {@code topic}, or {@code null} if it is not one. */
    static Duration tierOf(String topic, String name) {
        String prefix = topic + ".delay.";
        if (!name.startsWith(prefix) || !name.endsWith("ms")) {
            return null;
        }
        String ms = name.substring(prefix.length(), name.length() - 2);
        return ms.matches("\\d{1,12}") ? Duration.ofMillis(Long.parseLong(ms)) : null;
    }

    static boolean isCompanion(String name) {
        return name.endsWith(".dlq") || name.matches(".*\\.delay\\.\\d{1,12}ms");
    }

}
