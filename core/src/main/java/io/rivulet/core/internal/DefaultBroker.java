package io.rivulet.core.internal;

import io.rivulet.core.Admin;
import io.rivulet.core.Broker;
import io.rivulet.core.BrokerClosedException;
import io.rivulet.core.BrokerOptions;
import io.rivulet.core.Codec;
import io.rivulet.core.DeadLetter;
import io.rivulet.core.DeadLetters;
import io.rivulet.core.Queue;
import io.rivulet.core.QueueOptions;
import io.rivulet.core.QueueStats;
import io.rivulet.core.spi.Backend;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The one {@link Broker} implementation: a backend plus everything backends share. */
public final class DefaultBroker implements Broker, Admin {

    private final Backend backend;
    private final BrokerOptions options;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final BrokerMetrics metrics;

    /** Wraps a backend. */
    public DefaultBroker(Backend backend, BrokerOptions options) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.options = Objects.requireNonNull(options, "options");
        this.metrics = new BrokerMetrics(options.meterRegistry(), options.name(), backend, () -> !closed.get());
    }

    Backend spi() {
        return backend;
    }

    int maxMessageBytes() {
        return options.maxMessageBytes();
    }

    BrokerMetrics metrics() {
        return metrics;
    }

    /** Throws if closed; the message ("Cannot {verb} '{topic}'") is only built then, off the hot path. */
    void ensureOpen(String verb, String topic) {
        if (closed.get()) {
            throw closedError(verb + " '" + topic + "'");
        }
    }

    private BrokerClosedException closedError(String action) {
        return new BrokerClosedException("Cannot " + action + ": the " + backend.name() + " broker '"
                + options.name() + "' is closed. Create a new broker to go on.");
    }

    @Override
    public String backend() {
        return backend.name();
    }

    @Override
    public <T> Queue<T> queue(String topic, Codec<T> codec, QueueOptions options) {
        return new DefaultQueue<>(this, TopicNames.validate(topic), codec, options);
    }

    @Override
    public Admin admin() {
        return this;
    }

    @Override
    public Mono<Void> close() {
        return Mono.defer(() -> closed.compareAndSet(false, true)
                ? backend.close().doFinally(s -> metrics.close())
                : Mono.empty());
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public Flux<String> queues() {
        return backend.topics();
    }

    @Override
    public Mono<QueueStats> stats(String topic) {
        return backend.stats(TopicNames.validate(topic));
    }

    @Override
    public Mono<Long> clear(String topic) {
        return backend.clear(TopicNames.validate(topic));
    }

    @Override
    public DeadLetters deadLetters(String topic) {
        String t = TopicNames.validate(topic);
        return new DeadLetters() {
            @Override
            public String topic() {
                return t;
            }

            @Override
            public Flux<DeadLetter> list(int limit) {
                if (limit < 0) {
                    return Flux.error(new IllegalArgumentException("limit must be >= 0, was " + limit));
                }
                return backend.deadLetters(t, limit);
            }

            @Override
            public Mono<Long> count() {
                return backend.deadLetterCount(t);
            }

            @Override
            public Mono<Boolean> replay(String id) {
                Objects.requireNonNull(id, "id");
                return Mono.defer(() -> {
                    ensureOpen("replay dead letter " + id + " of", t);
                    return backend.replayDeadLetter(t, id);
                });
            }

            @Override
            public Mono<Long> replayAll() {
                return Mono.defer(() -> {
                    ensureOpen("replay the dead letters of", t);
                    return backend.replayAllDeadLetters(t);
                });
            }

            @Override
            public Mono<Long> purge() {
                return backend.purgeDeadLetters(t);
            }
        };
    }
}
