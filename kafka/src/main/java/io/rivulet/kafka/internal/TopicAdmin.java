package io.rivulet.kafka.internal;

import io.rivulet.core.RivuletException;
import io.rivulet.kafka.KafkaOptions;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/** Topic creation, offsets and lag through Kafka's {@link Admin} client; every call is non-blocking. */
final class TopicAdmin {

    /** Room for the envelope headers above the largest payload. */
    static final int HEADROOM = 64 * 1024;

    private final Admin admin;
    private final int maxMessageBytes;
    private final KafkaOptions options;
    private final KafkaErrors errors;
    // Topics known to exist, with their partition count.
    private final Map<String, Mono<Integer>> known = new ConcurrentHashMap<>();
    // Topics an ensure found or created: publishing checks them without subscribing to anything.
    private final Set<String> confirmed = ConcurrentHashMap.newKeySet();

    TopicAdmin(ClientConfig config, KafkaErrors errors, int maxMessageBytes) {
        this.admin = Admin.create(config.admin());
        this.maxMessageBytes = maxMessageBytes;
        this.options = config.options();
        this.errors = errors;
    }

    /** A lazy call: each subscription makes the request anew (a KafkaFuture is one answer). */
    static <T> Mono<T> call(java.util.function.Supplier<KafkaFuture<T>> request) {
        return Mono.defer(() -> Mono.fromFuture(request.get().toCompletionStage().toCompletableFuture()));
    }

    /**
     * Makes sure {@code topic} exists (creating it if auto-creation is on) and emits its partition
     * count; fails clearly if it is missing and auto-creation is off.
     */
    Mono<Integer> ensure(String topic, boolean create) {
        Mono<Integer> cached = known.get(topic);
        if (cached != null) {
            return cached;
        }
        Mono<Integer> check = describe(topic)
                .switchIfEmpty(Mono.defer(() -> {
                    if (!create || !options.autoCreateTopics()) {
                        return Mono.error(new RivuletException("Topic '" + topic + "' does not exist on Kafka at "
                                + options.bootstrapServers() + ": create it, or set KafkaOptions.autoCreateTopics(true)"));
                    }
                    NewTopic t = new NewTopic(topic, Optional.of(options.partitions()),
                            options.replicationFactor() < 0 ? Optional.empty() : Optional.of(options.replicationFactor()))
                            .configs(Map.of("max.message.bytes", Integer.toString(maxMessageBytes + HEADROOM)));
                    return call(() -> admin.createTopics(List.of(t)).all())
                            .then(Mono.defer(() -> awaitLeaders(topic, options.partitions())))
                            .onErrorResume(e -> KafkaErrors.unwrap(e) instanceof TopicExistsException, e -> Mono.empty())
                            .then(Mono.defer(() -> Mono.just(options.partitions())));
                }))
                .onErrorMap(e -> errors.translate(e, "looking up topic '" + topic + "'"))
                .doOnNext(n -> confirmed.add(topic))
                .cache(v -> java.time.Duration.ofDays(3650), e -> java.time.Duration.ZERO, () -> java.time.Duration.ZERO);
        Mono<Integer> raced = known.putIfAbsent(topic, check);
        Mono<Integer> used = raced == null ? check : raced;
        return used.doOnError(e -> known.remove(topic, used));
    }

    /** Whether an earlier {@link #ensure} found or created {@code topic}: no need to ensure it again. */
    boolean isEnsured(String topic) {
        return confirmed.contains(topic);
    }

    /** Forgets what is known of {@code topic} (it was deleted or is to be checked again). */
    void forget(String topic) {
        confirmed.remove(topic);
        known.remove(topic);
    }

    /**
     * Completes once every partition of a topic just created serves requests. Producing at once to a
     * new topic can meet NOT_LEADER_OR_FOLLOWER on a partition whose leader is announced but not
     * ready yet; with several batches in flight the idempotent producer then had a later batch
     * accepted first and retried the earlier one with OUT_OF_ORDER_SEQUENCE_NUMBER until it
     * expired (Kafka 4.3.1, clients 3.9.2, KafkaRebalanceTest). Listing the partitions' offsets is
     * answered by each partition's leader only once it is ready. Polls in real time: the broker's
     * readiness is not on Rivulet's clock.
     */
    private Mono<Void> awaitLeaders(String topic, int partitions) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        // The admin client retries a partition whose leader is not ready; a topic its metadata does
        // not show yet fails the call, so that is retried here.
        return call(() -> admin.listOffsets(latest).all())
                .retryWhen(Retry.fixedDelay(Long.MAX_VALUE, Duration.ofMillis(20)).scheduler(Schedulers.parallel())
                        .filter(e -> KafkaErrors.unwrap(e) instanceof UnknownTopicOrPartitionException))
                .timeout(options.apiTimeout(), Schedulers.parallel())
                .then();
    }

    /** The partition count of {@code topic}, or empty if it does not exist. */
    Mono<Integer> describe(String topic) {
        return call(() -> admin.describeTopics(List.of(topic)).allTopicNames())
                .map(m -> m.get(topic).partitions().size())
                .onErrorResume(e -> KafkaErrors.unwrap(e) instanceof UnknownTopicOrPartitionException, e -> Mono.empty());
    }

    /** Every non-internal topic. */
    Mono<Set<String>> topics() {
        return call(() -> admin.listTopics(new ListTopicsOptions().listInternal(false)).names())
                .onErrorMap(e -> errors.translate(e, "listing topics"));
    }

    /** The partitions of existing topics among {@code topics}. */
    Mono<List<TopicPartition>> partitions(Collection<String> topics) {
        if (topics.isEmpty()) {
            return Mono.just(List.of());
        }
        return call(() -> admin.describeTopics(topics).allTopicNames())
                .map(m -> m.values().stream()
                        .flatMap((TopicDescription d) -> d.partitions().stream()
                                .map(p -> new TopicPartition(d.name(), p.partition())))
                        .toList())
                .onErrorMap(e -> errors.translate(e, "describing topics " + topics));
    }

    /** Earliest or latest offsets of partitions. */
    Mono<Map<TopicPartition, Long>> offsets(List<TopicPartition> partitions, boolean latest) {
        if (partitions.isEmpty()) {
            return Mono.just(Map.of());
        }
        OffsetSpec spec = latest ? OffsetSpec.latest() : OffsetSpec.earliest();
        return call(() -> admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> spec))).all())
                .map(m -> {
                    Map<TopicPartition, Long> out = new HashMap<>();
                    m.forEach((tp, info) -> out.put(tp, info.offset()));
                    return out;
                })
                .onErrorMap(e -> errors.translate(e, "reading offsets"));
    }

    /** The committed offsets of a consumer group (absent partitions have none). */
    Mono<Map<TopicPartition, Long>> committed(String group) {
        return call(() -> admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata())
                .map(m -> {
                    Map<TopicPartition, Long> out = new HashMap<>();
                    m.forEach((tp, om) -> {
                        if (om != null) {
                            out.put(tp, ((OffsetAndMetadata) om).offset());
                        }
                    });
                    return out;
                })
                .onErrorMap(e -> errors.translate(e, "reading the offsets of group '" + group + "'"));
    }

    /** Deletes every record before the given offsets. */
    Mono<Void> deleteBefore(Map<TopicPartition, Long> offsets) {
        if (offsets.isEmpty()) {
            return Mono.empty();
        }
        Map<TopicPartition, RecordsToDelete> del = new HashMap<>();
        offsets.forEach((tp, o) -> del.put(tp, RecordsToDelete.beforeOffset(o)));
        return call(() -> admin.deleteRecords(del).all()).onErrorMap(e -> errors.translate(e, "deleting records"));
    }

    void close() {
        admin.close(java.time.Duration.ofSeconds(2));
    }
}
