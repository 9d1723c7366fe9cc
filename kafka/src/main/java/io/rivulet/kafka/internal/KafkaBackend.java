package io.rivulet.kafka.internal;

import io.rivulet.core.BrokerClosedException;
import io.rivulet.core.DeadLetter;
import io.rivulet.core.Message;
import io.rivulet.core.QueueStats;
import io.rivulet.core.spi.Backend;
import io.rivulet.core.spi.BackendDelivery;
import io.rivulet.kafka.KafkaOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The Kafka backend: a topic per queue, one {@link TopicConsumer} (group member) per topic and
 * broker, delay tiers ({@link TierConsumer}), dead letters ({@link DeadLetterStore}) and admin
 * through {@link TopicAdmin}, publishing through Kafka's producer ({@link RecordSender}). Reactor
 * Kafka (consumers) stays inside this package.
 */
public final class KafkaBackend implements Backend {

    private final ClientConfig config;
    private final KafkaErrors errors;
    private final TopicAdmin admin;
    private final RecordSender sender;
    private final DeadLetterStore deadLetters;
    private final StatsReader statsReader;
    private final KeyStore keys;
    private final Map<String, TopicConsumer> consumers = new ConcurrentHashMap<>();
    private final Map<String, TierConsumer> tiers = new ConcurrentHashMap<>();
    private final Map<String, Counters> counters = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> clearedBefore = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** A backend for the given options; {@code maxMessageBytes} bounds the producer's request size. */
    public KafkaBackend(KafkaOptions options, int maxMessageBytes) {
        this.config = new ClientConfig(options);
        this.errors = new KafkaErrors(options);
        this.admin = new TopicAdmin(config, errors, maxMessageBytes);
        Map<String, Object> producer = config.producer();
        producer.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxMessageBytes + TopicAdmin.HEADROOM);
        this.sender = new RecordSender(producer, (String) producer.get(ProducerConfig.CLIENT_ID_CONFIG));
        this.deadLetters = new DeadLetterStore(this);
        this.statsReader = new StatsReader(this);
        this.keys = new KeyStore(this::now);
        warmUp();
    }

    /**
     * Connects the admin client in the background, so the first publish does not pay for it. Failures are ignored here: the first real call reports them clearly.
     */
    private void warmUp() {
        admin.topics().subscribe(v -> { }, e -> { });
    }

    ClientConfig config() {
        return config;
    }

    KafkaErrors errors() {
        return errors;
    }

    TopicAdmin admin() {
        return admin;
    }

    DeadLetterStore deadLetters() {
        return deadLetters;
    }

    long now() {
        return scheduler().now(TimeUnit.MILLISECONDS);
    }

    Counters counters(String topic) {
        return counters.computeIfAbsent(topic, t -> new Counters());
    }

    long clearedBefore(TopicPartition tp) {
        return clearedBefore.getOrDefault(tp, -1L);
    }

    void markCleared(Map<TopicPartition, Long> ends) {
        ends.forEach((tp, o) -> clearedBefore.merge(tp, o, Math::max));
    }

    TopicConsumer consumerOf(String topic) {
        return consumers.get(topic);
    }

    Map<String, TierConsumer> tierConsumers() {
        return tiers;
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public Scheduler scheduler() {
        return config.options().scheduler();
    }

    private BrokerClosedException closedError(String topic) {
        return new BrokerClosedException("Cannot publish to '" + topic + "': the kafka backend is closed");
    }

    @Override
    public Mono<Void> publish(Message<byte[]> message) {
        return Mono.defer(() -> closed.get() ? Mono.error(closedError(message.topic())) : route(message, 0));
    }

    @Override
    public Flux<Message<byte[]>> publishAll(Flux<Message<byte[]>> messages) {
        // One stream of sends (RecordSender.WINDOW unacknowledged at most), results in input order;
        // an upstream error (e.g. an oversize message) ends the stream after the ones before it.
        // A record whose topic is known is built synchronously (concatMap's scalar path).
        Flux<RecordSender.Outgoing<Message<byte[]>>> outgoing = messages.concatMap(m -> {
            if (closed.get()) {
                return Mono.error(closedError(m.topic()));
            }
            ProducerRecord<byte[], byte[]> ready = recordNow(m, 0, now());
            return ready != null ? Mono.just(new RecordSender.Outgoing<>(ready, m))
                    : prepare(m, 0).map(r -> new RecordSender.Outgoing<>(r, m));
        });
        return sender.sendAll(outgoing, (e, m) -> errors.translate(e, m == null ? "publishing"
                : "publishing to '" + m.topic() + "'"));
    }

    private static boolean isDue(Message<byte[]> m, long now) {
        return m.availableAt() == null || m.availableAt().toEpochMilli() <= now;
    }

    /**
     * The record of {@code m} built at once, if it is due and an earlier publish made sure of its
     * topic (the usual case: no subscription to the topic check per record); else {@code null}.
     */
    private ProducerRecord<byte[], byte[]> recordNow(Message<byte[]> m, int delivered, long now) {
        return isDue(m, now) && admin.isEnsured(m.topic()) ? Envelope.record(m.topic(), m, delivered, now) : null;
    }

    /**
     * Writes {@code m} where it belongs now: its topic if it is due, else the delay tier that fits
     * what is left of its delay. {@code delivered}: deliveries it already had.
     */
    Mono<Void> route(Message<byte[]> m, int delivered) {
        String action = m.availableAt() == null ? "publishing to '" + m.topic() + "'"
                : "publishing a message of '" + m.topic() + "'";
        return prepare(m, delivered).flatMap(r -> send(r, action));
    }

    /** The record for {@code m} where it belongs now, its topic made sure of (and its tier consumer running). */
    private Mono<ProducerRecord<byte[], byte[]>> prepare(Message<byte[]> m, int delivered) {
        long now = now();
        ProducerRecord<byte[], byte[]> ready = recordNow(m, delivered, now);
        if (ready != null) {
            return Mono.just(ready);
        }
        Instant due = m.availableAt();
        if (isDue(m, now)) {
            String topic = m.topic();
            return admin.ensure(topic, true).map(n -> Envelope.record(topic, m, delivered, now));
        }
        Duration tier = tierFor(due.toEpochMilli() - now);
        String tierTopic = TierConsumer.topicName(m.topic(), tier);
        return Mono.when(admin.ensure(m.topic(), true), admin.ensure(tierTopic, true))
                .then(Mono.fromSupplier(() -> {
                    tierConsumer(m.topic(), tierTopic, tier);
                    return Envelope.record(tierTopic, m, delivered, now);
                }));
    }

    /** Writes {@code message} back for redelivery after {@code delay}, as having had {@code delivered} deliveries. */
    Mono<Void> requeue(Message<byte[]> message, int delivered, Duration delay) {
        Instant due = delay.isZero() || delay.isNegative() ? null : Instant.ofEpochMilli(now() + delay.toMillis());
        return route(message.toBuilder().availableAt(due).build(), delivered);
    }

    private Duration tierFor(long remaining) {
        List<Duration> all = config.options().delayTiers();
        Duration chosen = all.get(0);
        for (Duration t : all) {
            if (t.toMillis() <= remaining) {
                chosen = t;
            }
        }
        return chosen;
    }

    private void tierConsumer(String topic, String tierTopic, Duration tier) {
        if (closed.get()) {
            return;
        }
        tiers.computeIfAbsent(tierTopic, t -> {
            TierConsumer c = new TierConsumer(this, topic, tierTopic, tier);
            c.start();
            return c;
        });
    }

    /** Starts the tier consumers of {@code topic}'s existing delay topics (left by an earlier process). */
    private Mono<Void> resumeTiers(String topic) {
        return admin.topics().doOnNext(names -> names.forEach(name -> {
            Duration tier = TierConsumer.tierOf(topic, name);
            if (tier != null) {
                tierConsumer(topic, name, tier);
            }
        })).then();
    }

    /** Sends one record and completes once Kafka acknowledged it ({@code acks=all}). */
    Mono<Void> send(ProducerRecord<byte[], byte[]> record, String action) {
        return sender.send(record).onErrorMap(e -> errors.translate(e, action));
    }

    @Override
    public Flux<BackendDelivery> consume(String topic, int prefetch) {
        return Flux.defer(() -> {
            if (closed.get()) {
                return Flux.error(new BrokerClosedException("Cannot consume from '" + topic
                        + "': the kafka backend is closed"));
            }
            return admin.ensure(topic, true)
                    // Off the critical path: joining the group first gets messages sooner.
                    .doOnSuccess(n -> resumeTiers(topic).subscribe(v -> { }, e -> { }))
                    .thenMany(Flux.defer(() -> consumers.computeIfAbsent(topic, t -> {
                        TopicConsumer c = new TopicConsumer(this, t);
                        c.start();
                        return c;
                    }).consume(prefetch)))
                    .onErrorResume(e -> closed.get(), e -> Flux.empty());
        });
    }

    void consumerFailed(TopicConsumer c) {
        consumers.remove(c.topic(), c);
        c.close();
    }

    @Override
    public Mono<QueueStats> stats(String topic) {
        return statsReader.stats(topic);
    }

    @Override
    public long readyHint(String topic) {
        return statsReader.lastReady(topic);
    }

    @Override
    public Flux<String> topics() {
        return admin.topics().flatMapMany(names -> Flux.fromIterable(names)
                .filter(n -> !TierConsumer.isCompanion(n) && !n.startsWith("__"))
                .sort());
    }

    @Override
    public Mono<Long> clear(String topic) {
        return statsReader.clear(topic);
    }

    @Override
    public Flux<DeadLetter> deadLetters(String topic, int limit) {
        return deadLetters.list(topic, limit);
    }

    @Override
    public Mono<Long> deadLetterCount(String topic) {
        return deadLetters.count(topic);
    }

    @Override
    public Mono<Boolean> replayDeadLetter(String topic, String id) {
        return deadLetters.replay(topic, id);
    }

    @Override
    public Mono<Long> replayAllDeadLetters(String topic) {
        return deadLetters.replayAll(topic);
    }

    @Override
    public Mono<Long> purgeDeadLetters(String topic) {
        return deadLetters.purge(topic);
    }

    @Override
    public Mono<Boolean> setIfAbsent(String key, Duration ttl) {
        return Mono.fromSupplier(() -> keys.setIfAbsent(key, ttl));
    }

    @Override
    public Mono<Boolean> exists(String key) {
        return Mono.fromSupplier(() -> keys.exists(key));
    }

    @Override
    public Mono<Void> delete(String key) {
        return Mono.fromRunnable(() -> keys.delete(key));
    }

    @Override
    public Mono<Void> close() {
        return Mono.defer(() -> {
            if (!closed.compareAndSet(false, true)) {
                return Mono.empty();
            }
            consumers.values().forEach(TopicConsumer::close);
            tiers.values().forEach(TierConsumer::close);
            return Mono.fromRunnable(() -> {
                sender.close();
                deadLetters.close();
                admin.close();
            }).subscribeOn(Schedulers.boundedElastic()).then();
        });
    }
}
