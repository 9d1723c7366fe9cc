package io.rivulet.core.internal.memory;

import io.rivulet.core.BrokerClosedException;
import io.rivulet.core.DeadLetter;
import io.rivulet.core.Message;
import io.rivulet.core.QueueStats;
import io.rivulet.core.memory.MemoryOptions;
import io.rivulet.core.spi.Backend;
import io.rivulet.core.spi.BackendDelivery;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** The in-memory backend: one {@link MemoryTopic} per topic plus a TTL key store for dedup. */
public final class MemoryBackend implements Backend {

    private static final int KEY_SWEEP_EVERY = 1024;

    private final MemoryOptions options;
    private final Map<String, MemoryTopic> topics = new ConcurrentHashMap<>();
    private final Map<String, Long> keys = new ConcurrentHashMap<>();
    private final AtomicInteger keyWrites = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** A backend with the given options. */
    public MemoryBackend(MemoryOptions options) {
        this.options = options;
    }

    MemoryOptions options() {
        return options;
    }

    long now() {
        return options.scheduler().now(TimeUnit.MILLISECONDS);
    }

    /** The error for a publish to {@code topic} after the backend closed. */
    static BrokerClosedException closedError(String topic) {
        return new BrokerClosedException("Cannot publish to '" + topic + "': the memory backend is closed");
    }

    boolean isClosed() {
        return closed.get();
    }

    private MemoryTopic topic(String name) {
        MemoryTopic t = topics.get(name);
        return t != null ? t : topics.computeIfAbsent(name, n -> new MemoryTopic(n, this));
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public Scheduler scheduler() {
        return options.scheduler();
    }

    @Override
    public Mono<Void> publish(Message<byte[]> message) {
        return Mono.defer(() -> {
            if (closed.get()) {
                return Mono.error(closedError(message.topic()));
            }
            return topic(message.topic()).publish(message);
        });
    }

    @Override
    public Flux<Message<byte[]>> publishAll(Flux<Message<byte[]>> messages) {
        // A message that fits is stored synchronously: Mono.just lets concatMap emit it without an
        // inner subscription. Only a full topic with Overflow.BACKPRESSURE waits.
        return Flux.defer(() -> {
            // A stream normally goes to one topic: look it up once, not per message. concatMap
            // calls the mapper serially, so this per-subscription holder needs no synchronization.
            MemoryTopic[] last = new MemoryTopic[1];
            return messages.concatMap(m -> {
                if (closed.get()) {
                    return Mono.error(closedError(m.topic()));
                }
                MemoryTopic t = last[0];
                if (t == null || !t.name().equals(m.topic())) {
                    t = topic(m.topic());
                    last[0] = t;
                }
                return t.offer(m) ? Mono.just(m) : t.publish(m).thenReturn(m);
            }, PUBLISH_WINDOW);
        });
    }

    @Override
    public Flux<BackendDelivery> consume(String topic, int prefetch) {
        return Flux.defer(() -> topic(topic).consume(prefetch));
    }

    @Override
    public Mono<QueueStats> stats(String topic) {
        return Mono.fromSupplier(() -> {
            MemoryTopic t = topics.get(topic);
            return t == null ? new QueueStats(topic, 0, 0, 0, 0, 0, 0, 0) : t.stats();
        });
    }

    @Override
    public long readyHint(String topic) {
        MemoryTopic t = topics.get(topic);
        return t == null ? 0 : t.readyCount();
    }

    @Override
    public Flux<String> topics() {
        return Flux.defer(() -> Flux.fromIterable(topics.keySet()).sort());
    }

    @Override
    public Mono<Long> clear(String topic) {
        return Mono.fromSupplier(() -> {
            MemoryTopic t = topics.get(topic);
            return t == null ? 0L : t.clear();
        });
    }

    @Override
    public Flux<DeadLetter> deadLetters(String topic, int limit) {
        return Flux.defer(() -> {
            MemoryTopic t = topics.get(topic);
            return t == null ? Flux.empty() : Flux.fromIterable(t.deadLetters(limit));
        });
    }

    @Override
    public Mono<Long> deadLetterCount(String topic) {
        return Mono.fromSupplier(() -> {
            MemoryTopic t = topics.get(topic);
            return t == null ? 0L : t.deadLetterCount();
        });
    }

    @Override
    public Mono<Boolean> replayDeadLetter(String topic, String id) {
        return Mono.fromSupplier(() -> {
            MemoryTopic t = topics.get(topic);
            return t != null && t.replay(id);
        });
    }

    @Override
    public Mono<Long> replayAllDeadLetters(String topic) {
        return Mono.fromSupplier(() -> {
            MemoryTopic t = topics.get(topic);
            return t == null ? 0L : t.replayAll();
        });
    }

    @Override
    public Mono<Long> purgeDeadLetters(String topic) {
        return Mono.fromSupplier(() -> {
            MemoryTopic t = topics.get(topic);
            return t == null ? 0L : t.purgeDeadLetters();
        });
    }

    @Override
    public Mono<Boolean> setIfAbsent(String key, Duration ttl) {
        return Mono.fromSupplier(() -> {
            long now = now();
            long expiresAt = now + ttl.toMillis();
            boolean[] set = new boolean[1];
            keys.compute(key, (k, old) -> {
                if (old == null || old <= now) {
                    set[0] = true;
                    return expiresAt;
                }
                return old;
            });
            if (keyWrites.incrementAndGet() % KEY_SWEEP_EVERY == 0) {
                keys.values().removeIf(at -> at <= now);
            }
            return set[0];
        });
    }

    @Override
    public Mono<Boolean> exists(String key) {
        return Mono.fromSupplier(() -> {
            Long at = keys.get(key);
            return at != null && at > now();
        });
    }

    @Override
    public Mono<Void> delete(String key) {
        return Mono.fromRunnable(() -> keys.remove(key));
    }

    @Override
    public Mono<Void> close() {
        return Mono.fromRunnable(() -> {
            if (closed.compareAndSet(false, true)) {
                topics.values().forEach(MemoryTopic::close);
            }
        });
    }
}
