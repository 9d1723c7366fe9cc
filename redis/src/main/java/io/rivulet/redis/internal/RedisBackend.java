package io.rivulet.redis.internal;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.rivulet.core.BrokerClosedException;
import io.rivulet.core.DeadLetter;
import io.rivulet.core.Message;
import io.rivulet.core.QueueStats;
import io.rivulet.core.spi.Backend;
import io.rivulet.core.spi.BackendDelivery;
import io.rivulet.core.spi.ReservedHeaders;
import io.rivulet.redis.RedisOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The Redis backend. Publishing appends to a stream (batched, see {@link Batcher}), or adds to the delayed set;
 * consuming, settling and admin run the Lua scripts of {@link Scripts}, each atomic on one topic's
 * keys. Time is the client's clock ({@link #scheduler()}): delayed messages are due by the clock
 * of the consumer that moves them, so hosts should keep their clocks in sync (NTP).
 */
public final class RedisBackend implements Backend {

    private static final byte[] ONE = {'1'};
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(3);

    private final RedisOptions options;
    private final Keys keys;
    private final Connections connections;
    private final String consumerName;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Set<String> knownTopics = ConcurrentHashMap.newKeySet();
    private final Set<RedisConsumer> consumers = ConcurrentHashMap.newKeySet();
    private final Map<String, long[]> readyHints = new ConcurrentHashMap<>();
    private final AtomicLong nonces = new AtomicLong();
    private final XAddArgs xaddArgs;
    private final Map<String, Batcher<Message<byte[]>>> publishers = new ConcurrentHashMap<>();

    /** A backend with the given options; connects on first use. */
    public RedisBackend(RedisOptions options) {
        this.options = options;
        this.keys = new Keys(options.keyPrefix());
        this.connections = new Connections(options);
        String random = UUID.randomUUID().toString().substring(0, 8);
        this.consumerName = options.clientName() + "-" + ProcessHandle.current().pid() + "-" + random;
        this.xaddArgs = options.streamMaxLength() > 0
                ? XAddArgs.Builder.maxlen(options.streamMaxLength()).approximateTrimming(true) : null;
        // Start connecting now, without waiting: the first publish should not pay for the handshake.
        // A failure is not kept; the first operation tries again and reports it.
        connections.shared().subscribe(c -> { }, e -> { });
    }

    RedisOptions options() {
        return options;
    }

    Keys keys() {
        return keys;
    }

    Connections connections() {
        return connections;
    }

    String consumerName() {
        return consumerName;
    }

    long now() {
        return scheduler().now(TimeUnit.MILLISECONDS);
    }

    boolean isClosed() {
        return closed.get();
    }

    /**
     * Runs {@code f} on the shared connection, translating errors for {@code what} on {@code topic}.
     * {@code what} is only built for an error message.
     */
    <T> Mono<T> redis(Supplier<String> what, String topic, Function<RedisClusterReactiveCommands<String, byte[]>, Mono<T>> f) {
        return Mono.defer(() -> {
                    RedisClusterReactiveCommands<String, byte[]> c = connections.current();
                    return c != null ? f.apply(c) : connections.shared().flatMap(link -> f.apply(link.commands()));
                })
                .onErrorMap(e -> Errors.translate(e, options, what.get(), topic == null ? options.keyPrefix() + "*"
                        : keys.pattern(topic)));
    }

    /** Runs a script on a topic's keys. */
    Mono<Object> script(Scripts script, Supplier<String> what, String topic, byte[]... args) {
        return redis(what, topic, r -> script.run(r, keys.topic(topic), args));
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public Scheduler scheduler() {
        return Schedulers.parallel();
    }

    @Override
    public Mono<Void> publish(Message<byte[]> message) {
        return Mono.defer(() -> {
            if (closed.get()) {
                return Mono.error(new BrokerClosedException("Cannot publish to '" + message.topic()
                        + "': the redis backend is closed"));
            }
            String topic = message.topic();
            boolean known = knownTopics.contains(topic);
            if (known && !delayed(message)) {
                return publisher(topic).add(message);
            }
            Mono<Void> store = redis(() -> "publish to '" + topic + "'", topic, r -> store(r, message));
            if (known) {
                return store;
            }
            // Both commands go out at once, in this order: waiting for SADD before XADD would let a
            // later message of a publishAll, finding the topic registered, overtake this one.
            Mono<Void> register = redis(() -> "publish to '" + topic + "'", topic,
                    r -> r.sadd(keys.topics(), EntryCodec.utf8(topic))).doOnNext(n -> knownTopics.add(topic)).then();
            return Mono.when(register, store);
        });
    }

    private boolean delayed(Message<byte[]> m) {
        return m.availableAt() != null && m.availableAt().toEpochMilli() > now();
    }

    /**
     * The topic's publish batcher: a message goes out at once while fewer than two calls are under
     * way, and those that come meanwhile go out together in one {@code publish.lua} call (up to 64),
     * in order; each learns its own result.
     */
    private Batcher<Message<byte[]>> publisher(String topic) {
        return publishers.computeIfAbsent(topic, t -> new Batcher<>(64, 2, batch -> storeAll(t, batch),
                (reply, i) -> storedOrFailed(t, reply, i), n -> { }));
    }

    private Mono<Object> storeAll(String topic, List<Message<byte[]>> batch) {
        byte[][] args = new byte[1 + 5 * batch.size()][];
        args[0] = EntryCodec.num(options.streamMaxLength());
        int i = 1;
        for (Message<byte[]> m : batch) {
            args[i++] = EntryCodec.num(m.priority());
            args[i++] = EntryCodec.utf8(m.id());
            args[i++] = ONE;
            args[i++] = EntryCodec.meta(m);
            args[i++] = m.payload();
        }
        return script(Scripts.PUBLISH, () -> batch.size() == 1 ? "publish to '" + topic + "'"
                : "publish " + batch.size() + " messages to '" + topic + "'", topic, args);
    }

    private Throwable storedOrFailed(String topic, Object reply, int index) {
        List<?> r = (List<?>) reply;
        if (index < num(r.get(0))) {
            return null;
        }
        String why = r.size() > 1 ? new String((byte[]) r.get(1), StandardCharsets.UTF_8) : "not stored";
        return Errors.translate(new RedisCommandExecutionException(why), options,
                "publish to '" + topic + "'", keys.pattern(topic));
    }

    private Mono<Void> store(RedisClusterReactiveCommands<String, byte[]> r, Message<byte[]> m) {
        String[] k = keys.topic(m.topic());
        if (delayed(m)) {
            String nonce = consumerName + "." + nonces.incrementAndGet();
            return r.zadd(k[Keys.DELAYED], (double) m.availableAt().toEpochMilli(), EntryCodec.member(m, 1, nonce))
                    .then();
        }
        Map<String, byte[]> fields = EntryCodec.fields(m, 1);
        String stream = k[m.priority()];
        return (xaddArgs == null ? r.xadd(stream, fields) : r.xadd(stream, xaddArgs, fields)).then();
    }

    @Override
    public Flux<BackendDelivery> consume(String topic, int prefetch) {
        return Flux.create(sink -> {
            if (closed.get()) {
                sink.complete();
                return;
            }
            RedisConsumer c = new RedisConsumer(this, topic, prefetch, sink);
            consumers.add(c);
            c.start();
            if (closed.get()) {
                c.close();
            }
        }, FluxSink.OverflowStrategy.IGNORE);
    }

    void removed(RedisConsumer c) {
        consumers.remove(c);
    }

    @Override
    public Mono<QueueStats> stats(String topic) {
        return script(Scripts.STATS, () -> "read the stats of '" + topic + "'", topic, EntryCodec.utf8(Keys.GROUP),
                        EntryCodec.num(now()), EntryCodec.num(options.streamMaxLength()))
                .map(reply -> {
                    List<?> n = (List<?>) reply;
                    QueueStats s = new QueueStats(topic, num(n.get(0)), num(n.get(1)), num(n.get(2)), num(n.get(3)),
                            num(n.get(4)), num(n.get(5)), num(n.get(6)));
                    readyHints.put(topic, new long[] {s.ready(), now()});
                    return s;
                });
    }

    static long num(Object o) {
        if (o instanceof List<?> l && l.size() == 1) {
            return num(l.get(0)); // an integer reply comes wrapped by the MULTI output
        }
        if (o instanceof Long l) {
            return l;
        }
        if (o instanceof byte[] b) {
            return Long.parseLong(new String(b, java.nio.charset.StandardCharsets.US_ASCII));
        }
        throw new IllegalStateException("Unexpected reply from Redis: " + o);
    }

    @Override
    public long readyHint(String topic) {
        long[] hint = readyHints.get(topic);
        long now = now();
        if ((hint == null || now - hint[1] > 1000) && !closed.get()) {
            // Refresh in the background: a gauge must not wait for Redis.
            readyHints.put(topic, new long[] {hint == null ? 0 : hint[0], now});
            stats(topic).subscribe(s -> { }, e -> { });
        }
        return hint == null ? 0 : hint[0];
    }

    @Override
    public Flux<String> topics() {
        return redis(() -> "list the topics", null, r -> r.smembers(keys.topics()).collectList())
                .flatMapIterable(list -> list.stream().map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8))
                        .sorted().toList());
    }

    @Override
    public Mono<Long> clear(String topic) {
        return script(Scripts.CLEAR, () -> "clear '" + topic + "'", topic, EntryCodec.utf8(Keys.GROUP),
                EntryCodec.utf8(consumerName + "-clear")).map(RedisBackend::num);
    }

    @Override
    public Flux<DeadLetter> deadLetters(String topic, int limit) {
        return deadEntries(topic).take(limit).map(e -> EntryCodec.deadLetter(topic, e.getBody()));
    }

    /** Every entry of a topic's dead letters, oldest first, read in pages. */
    private Flux<StreamMessage<String, byte[]>> deadEntries(String topic) {
        String dead = keys.topic(topic)[Keys.DEAD];
        int page = 200;
        return readDeadPage(topic, dead, Range.Boundary.including("-"), page)
                .expand(list -> list.size() < page ? Mono.empty()
                        : readDeadPage(topic, dead, Range.Boundary.excluding(list.get(list.size() - 1).getId()), page))
                .flatMapIterable(list -> list);
    }

    private Mono<List<StreamMessage<String, byte[]>>> readDeadPage(String topic, String dead,
            Range.Boundary<String> from, int page) {
        return redis(() -> "read the dead letters of '" + topic + "'", topic,
                r -> r.xrange(dead, Range.from(from, Range.Boundary.including("+")), Limit.from(page)).collectList());
    }

    @Override
    public Mono<Long> deadLetterCount(String topic) {
        return redis(() -> "count the dead letters of '" + topic + "'", topic, r -> r.xlen(keys.topic(topic)[Keys.DEAD]));
    }

    @Override
    public Mono<Boolean> replayDeadLetter(String topic, String id) {
        return deadEntries(topic)
                .filter(e -> id.equals(EntryCodec.text(e.getBody(), EntryCodec.ID)))
                .next()
                .flatMap(e -> replay(topic, e))
                .defaultIfEmpty(false);
    }

    @Override
    public Mono<Long> replayAllDeadLetters(String topic) {
        return deadEntries(topic).concatMap(e -> replay(topic, e)).filter(Boolean::booleanValue).count();
    }

    private Mono<Boolean> replay(String topic, StreamMessage<String, byte[]> entry) {
        DeadLetter dl = EntryCodec.deadLetter(topic, entry.getBody());
        Message<byte[]> back = ReservedHeaders.replayOf(dl);
        List<byte[]> args = new ArrayList<>();
        args.add(EntryCodec.utf8(entry.getId()));
        args.add(EntryCodec.num(back.priority()));
        args.add(EntryCodec.num(options.streamMaxLength()));
        EntryCodec.fields(back, 1).forEach((k, v) -> {
            args.add(EntryCodec.utf8(k));
            args.add(v);
        });
        return script(Scripts.REPLAY, () -> "replay a dead letter of '" + topic + "'", topic, args.toArray(new byte[0][]))
                .map(n -> num(n) == 1);
    }

    @Override
    public Mono<Long> purgeDeadLetters(String topic) {
        return script(Scripts.PURGE, () -> "purge the dead letters of '" + topic + "'", topic).map(RedisBackend::num);
    }

    @Override
    public Mono<Boolean> setIfAbsent(String key, Duration ttl) {
        return redis(() -> "set a dedup key", null, r -> r.set(keys.dedup(key), ONE, SetArgs.Builder.nx().px(ttl.toMillis())))
                .map("OK"::equals)
                .defaultIfEmpty(false);
    }

    @Override
    public Mono<Boolean> exists(String key) {
        return redis(() -> "check a dedup key", null, r -> r.exists(keys.dedup(key))).map(n -> n > 0);
    }

    @Override
    public Mono<Void> delete(String key) {
        return redis(() -> "delete a dedup key", null, r -> r.del(keys.dedup(key))).then();
    }

    @Override
    public Mono<Void> close() {
        return Mono.defer(() -> {
            if (!closed.compareAndSet(false, true)) {
                return Mono.empty();
            }
            return Flux.fromIterable(new ArrayList<>(consumers))
                    .flatMap(RedisConsumer::close)
                    .then()
                    // Consumers hand back what they read but never emitted; do not wait long for a
                    // read stuck on a failing Redis (its entries come back after the visibility timeout).
                    .timeout(CLOSE_WAIT, Mono.empty())
                    .then(connections.close());
        });
    }
}
