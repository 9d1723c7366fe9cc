package io.rivulet.core.internal;

import io.rivulet.core.Codec;
import io.rivulet.core.CodecException;
import io.rivulet.core.ConsumeOptions;
import io.rivulet.core.DeadLetters;
import io.rivulet.core.Delivery;
import io.rivulet.core.Message;
import io.rivulet.core.MessageTooLargeException;
import io.rivulet.core.PublishResult;
import io.rivulet.core.Queue;
import io.rivulet.core.QueueOptions;
import io.rivulet.core.QueueStats;
import io.rivulet.core.spi.Backend;
import io.rivulet.core.spi.BackendDelivery;
import io.rivulet.core.spi.DeadLetterRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * A typed queue over a backend: encodes on publish, decodes on consume (poison goes to the dead
 * letters), applies producer and consumer dedup and records meters.
 */
final class DefaultQueue<T> implements Queue<T> {

    private static final Logger LOG = Loggers.getLogger(DefaultQueue.class);

    private final DefaultBroker broker;
    private final Backend backend;
    private final String topic;
    private final Codec<T> codec;
    private final QueueOptions options;
    private final BrokerMetrics.TopicMeters meters;
    private Instant lastNow;

    DefaultQueue(DefaultBroker broker, String topic, Codec<T> codec, QueueOptions options) {
        this.broker = broker;
        this.backend = broker.spi();
        this.topic = topic;
        this.codec = Objects.requireNonNull(codec, "codec");
        this.options = Objects.requireNonNull(options, "options");
        this.meters = broker.metrics().topic(topic);
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public Mono<PublishResult> publish(Message<T> message) {
        Objects.requireNonNull(message, "message");
        return Mono.defer(() -> {
            broker.ensureOpen("publish to", topic);
            Message<byte[]> encoded = encode(message, message.createdAt() != null ? null : now());
            PublishResult stored = new PublishResult(encoded.id(), topic, false);
            Mono<PublishResult> store = backend.publish(encoded).then(Mono.fromSupplier(() -> {
                meters.published().increment();
                return stored;
            }));
            if (options.dedupTtl() == null) {
                return store;
            }
            String key = KeyNames.producerDedup(topic, encoded.dedupKey());
            // The key is claimed before storing (so concurrent duplicates store once) and released if
            // the store fails, so that a retried publish is not taken for a duplicate and lost.
            return backend.setIfAbsent(key, options.dedupTtl())
                    .flatMap(first -> first
                            ? store.onErrorResume(e -> backend.delete(key)
                                    .onErrorResume(de -> Mono.empty())
                                    .then(Mono.error(e)))
                            : Mono.just(new PublishResult(encoded.id(), topic, true)));
        });
    }

    @Override
    public Flux<PublishResult> publishAll(Publisher<Message<T>> messages) {
        Objects.requireNonNull(messages, "messages");
        if (options.dedupTtl() != null) {
            return Flux.from(messages).flatMapSequential(this::publish, Backend.PUBLISH_WINDOW, 1);
        }
        // BurstClock: messages of one synchronous burst share a clock reading for createdAt.
        return new BurstClock<T, Message<byte[]>>(messages, this::now, (m, now) -> {
                    broker.ensureOpen("publish to", topic);
                    return encode(m, now);
                })
                .transform(backend::publishAll)
                .map(stored -> {
                    meters.published().increment();
                    return new PublishResult(stored.id(), topic, false);
                });
    }

    @Override
    public Mono<PublishResult> publishDelayed(Message<T> message, Duration delay) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            return Mono.error(new IllegalArgumentException("delay must not be negative, was " + delay));
        }
        return Mono.defer(() -> publish(message.toBuilder().availableAt(now().plus(delay)).build()));
    }

    @Override
    public Mono<PublishResult> publishAt(Message<T> message, Instant at) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(at, "at");
        return publish(message.toBuilder().availableAt(at).build());
    }

    /** Encodes {@code message}; {@code now} stamps it if it has no {@code createdAt} (else null). */
    private Message<byte[]> encode(Message<T> message, Instant now) {
        byte[] bytes;
        try {
            bytes = codec.encode(message.payload());
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CodecException("Cannot encode message " + message.id() + " for '" + topic + "' with "
                    + codec.describe() + ": " + e.getMessage(), e);
        }
        int max = broker.maxMessageBytes();
        if (bytes.length > max) {
            throw new MessageTooLargeException(String.format(java.util.Locale.ROOT,
                    "Message %s for '%s' is %,d bytes encoded, over the limit of %,d (BrokerOptions.maxMessageBytes): "
                            + "store large content elsewhere and publish a reference, or raise the limit",
                    message.id(), topic, bytes.length, max));
        }
        Instant createdAt = message.createdAt() != null ? message.createdAt() : now;
        return MessageAccess.stored(message, bytes, topic, createdAt);
    }

    private Instant now() {
        long millis = backend.scheduler().now(TimeUnit.MILLISECONDS);
        // Publishing stamps thousands of messages per millisecond: they share one Instant. The race
        // is benign, Instant being immutable with final fields.
        Instant last = lastNow;
        if (last != null && last.toEpochMilli() == millis) {
            return last;
        }
        last = Instant.ofEpochMilli(millis);
        lastNow = last;
        return last;
    }

    @Override
    public Flux<Delivery<T>> consume(ConsumeOptions options) {
        Objects.requireNonNull(options, "options");
        Flux<Delivery<T>> deliveries = Flux.defer(() -> {
            broker.ensureOpen("consume from", topic);
            return backend.consume(topic, options.prefetch())
                    // A delivery the backend emits as the subscriber cancels is dropped by Reactor:
                    // give it back now rather than after the visibility timeout.
                    .doOnDiscard(BackendDelivery.class, DefaultQueue::releaseDropped)
                    .mapNotNull(raw -> decode(raw, options.dedupTtl()));
        });
        if (options.dedupTtl() == null) {
            return deliveries;
        }
        return deliveries.concatMap(d -> backend.exists(KeyNames.consumerDedup(topic, d.message().dedupKey()))
                .flatMap(seen -> seen ? skipProcessed(d) : Mono.just(d)));
    }

    private static void releaseDropped(BackendDelivery raw) {
        raw.release().subscribe(null, e -> LOG.debug("Could not give back message {} dropped on cancel; it comes "
                + "back after the visibility timeout: {}", raw.message().id(), e.toString()));
    }

    private Mono<Delivery<T>> skipProcessed(Delivery<T> d) {
        LOG.debug("Skipping already processed message {} of '{}'", d.message().id(), topic);
        return d.ack().then(Mono.empty());
    }

    private Delivery<T> decode(BackendDelivery raw, Duration dedupTtl) {
        Message<byte[]> m = raw.message();
        T payload;
        try {
            payload = codec.decode(m.payload());
        } catch (RuntimeException e) {
            poison(raw, e);
            return null;
        }
        meters.consumed().increment();
        Mono<Void> beforeAck = dedupTtl == null ? null
                : backend.setIfAbsent(KeyNames.consumerDedup(topic, m.dedupKey()), dedupTtl).then();
        return new DefaultDelivery<>(m.withPayload(payload), raw, meters, beforeAck);
    }

    private void poison(BackendDelivery raw, RuntimeException e) {
        // Payloads are never logged: they may hold personal data.
        LOG.warn("Message {} of '{}' cannot be decoded with {}: dead-lettered as poison ({})",
                raw.message().id(), topic, codec.describe(), e.getClass().getSimpleName());
        raw.deadLetter(DeadLetterRecord.of("poison", e, raw.message().attempt()))
                .doOnSuccess(v -> meters.deadLettered().increment())
                .subscribe(null, err -> LOG.error("Could not dead-letter poison message {} of '{}'",
                        raw.message().id(), topic, err));
    }

    @Override
    public Mono<QueueStats> stats() {
        return backend.stats(topic);
    }

    @Override
    public Mono<Long> clear() {
        return backend.clear(topic);
    }

    @Override
    public DeadLetters deadLetters() {
        return broker.admin().deadLetters(topic);
    }
}
