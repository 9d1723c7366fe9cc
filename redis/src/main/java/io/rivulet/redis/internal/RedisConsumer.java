package io.rivulet.redis.internal;

import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.rivulet.core.Message;
import io.rivulet.core.spi.BackendDelivery;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.Disposable;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * One subscriber to a topic. A drain loop on its own {@code boundedElastic} worker emits what was
 * read, and reads more (the fetch script) only while there is demand and room under the prefetch,
 * never more than both. When the fetch finds nothing it blocks on a connection of its own
 * ({@code XREAD BLOCK} past each stream's last entry) until something arrives, the next delayed
 * message is due, or the poll interval passes. Entries read but not emitted when the subscriber
 * cancels are released (back to the stream, same attempt). Passing errors (Redis restarting, a
 * connection cut) are retried with backoff; lasting ones (credentials, key types) end the Flux.
 */
final class RedisConsumer {

    private static final Logger LOG = Loggers.getLogger(RedisConsumer.class);
    private static final long MIN_BACKOFF_MS = 50;

    private final RedisBackend backend;
    private final String topic;
    private final int prefetch;
    private final FluxSink<BackendDelivery> sink;
    private final Scheduler.Worker worker = Schedulers.boundedElastic().createWorker();
    private final Queue<RedisDelivery> buffer = new ConcurrentLinkedQueue<>();
    private final AtomicLong requested = new AtomicLong();
    private final AtomicInteger unsettled = new AtomicInteger();
    private final AtomicInteger wip = new AtomicInteger();
    private final Sinks.Empty<Void> terminated = Sinks.empty();
    private final long claimEveryMs;
    private final int lowMark;
    private final List<Mono<Void>> releases = new ArrayList<>();
    private volatile boolean busy;
    private volatile boolean cancelled;
    private volatile Disposable waiting;
    private volatile Mono<StatefulRedisConnection<String, byte[]>> blocking;
    private boolean finished;
    private long lastClaim;
    private int failures;

    RedisConsumer(RedisBackend backend, String topic, int prefetch, FluxSink<BackendDelivery> sink) {
        this.backend = backend;
        this.topic = topic;
        this.prefetch = prefetch;
        this.sink = sink;
        long visibility = backend.options().visibilityTimeout().toMillis();
        this.claimEveryMs = Math.max(1, Math.min(backend.options().pollInterval().toMillis(), visibility / 2));
        this.lastClaim = Long.MIN_VALUE / 2;
        this.lowMark = Math.max(1, Math.min(prefetch, backend.options().fetchSize()) / 4);
    }

    RedisBackend backend() {
        return backend;
    }

    void start() {
        sink.onRequest(n -> {
            requested.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            signal();
        });
        sink.onDispose(this::cancel);
    }

    /** Stops as if cancelled, completes the subscriber; emits once what was read is released. */
    Mono<Void> close() {
        cancel();
        sink.complete();
        return terminated.asMono();
    }

    /** A delivery of this consumer was settled: room under the prefetch. */
    void settled() {
        int room = prefetch - unsettled.decrementAndGet();
        // Wake the loop only when it would read: not once per ack while a read is under way or
        // too little room is free for one.
        if (cancelled || (!busy && room >= Math.min(lowMark, requested.get()))) {
            signal();
        }
    }

    private void cancel() {
        cancelled = true;
        Disposable w = waiting;
        if (w != null) {
            w.dispose();
        }
        signal();
    }

    private void signal() {
        if (wip.getAndIncrement() == 0) {
            try {
                worker.schedule(this::drain);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                wip.set(0); // finished: the worker is gone
            }
        }
    }

    private void drain() {
        int missed = 1;
        for (;;) {
            if (!cancelled) {
                long r = requested.get();
                long emitted = 0;
                while (emitted != r && !cancelled) {
                    RedisDelivery d = buffer.poll();
                    if (d == null) {
                        break;
                    }
                    sink.next(d);
                    emitted++;
                }
                if (emitted > 0 && r != Long.MAX_VALUE) {
                    requested.addAndGet(-emitted);
                }
                if (!cancelled && !busy && buffer.isEmpty()) {
                    long want = Math.min(Math.min(prefetch - unsettled.get(), requested.get()),
                            backend.options().fetchSize());
                    // Wait until a quarter of the prefetch is free (unless the demand is smaller):
                    // one read of many entries rather than many reads of one as acks trickle in.
                    if (want > 0 && want >= Math.min(lowMark, requested.get())) {
                        busy = true;
                        fetch((int) want);
                    }
                }
            }
            if (cancelled) {
                finishCancelled();
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    /** Releases what was read but never emitted; once no read is under way, closes up. */
    private void finishCancelled() {
        List<Mono<Void>> back = new ArrayList<>();
        for (RedisDelivery d = buffer.poll(); d != null; d = buffer.poll()) {
            back.add(d.release());
        }
        if (!back.isEmpty()) {
            // One after the other, so that they return in the order they were read.
            releases.add(Mono.defer(() -> reactor.core.publisher.Flux.concat(back).then()));
        }
        if (busy || finished) {
            return;
        }
        finished = true;
        backend.removed(this);
        Mono<StatefulRedisConnection<String, byte[]>> c = blocking;
        Mono.when(releases.stream().map(m -> m.onErrorResume(e -> {
                    LOG.warn("Could not release messages of '{}' read but never delivered: they come back after "
                            + "the visibility timeout ({})", topic, e.toString());
                    return Mono.empty();
                })).toList())
                .then(c == null ? Mono.empty()
                        : c.flatMap(conn -> Mono.fromCompletionStage(conn.closeAsync())).onErrorResume(e -> Mono.empty())
                                .then())
                .subscribe(null, e -> terminated.tryEmitEmpty(), () -> {
                    terminated.tryEmitEmpty();
                    worker.dispose();
                });
    }

    private void fetch(int n) {
        long now = backend.now();
        boolean claim = now - lastClaim >= claimEveryMs;
        if (claim) {
            lastClaim = now;
        }
        long claimIdle = claim ? backend.options().visibilityTimeout().toMillis() : 0;
        backend.script(Scripts.FETCH, () -> "consume from '" + topic + "'", topic,
                        EntryCodec.utf8(Keys.GROUP), EntryCodec.utf8(backend.consumerName()), EntryCodec.num(n),
                        EntryCodec.num(now), EntryCodec.num(claimIdle),
                        EntryCodec.num(backend.options().streamMaxLength()))
                .subscribe(this::fetched, this::failed);
    }

    private void fetched(Object reply) {
        List<?> top = (List<?>) reply;
        List<?> entries = (List<?>) top.get(0);
        failures = 0;
        if (!entries.isEmpty()) {
            unsettled.addAndGet(entries.size());
            for (Object o : entries) {
                buffer.add(delivery((List<?>) o));
            }
            busy = false;
            signal();
            return;
        }
        if (cancelled) {
            busy = false;
            signal();
            return;
        }
        long due = Math.round(Double.parseDouble(new String((byte[]) top.get(1), StandardCharsets.US_ASCII)));
        List<?> ends = (List<?>) top.get(2);
        await(due, ends);
    }

    private RedisDelivery delivery(List<?> e) {
        int level = (int) RedisBackend.num(e.get(0));
        String entryId = new String((byte[]) e.get(1), StandardCharsets.US_ASCII);
        long count = RedisBackend.num(e.get(2));
        List<?> flat = (List<?>) e.get(3);
        Map<String, byte[]> fields = new HashMap<>(8);
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            fields.put(new String((byte[]) flat.get(i), StandardCharsets.UTF_8), (byte[]) flat.get(i + 1));
        }
        int base = Integer.parseInt(EntryCodec.text(fields, EntryCodec.ATTEMPT));
        int attempt = (int) Math.min(Integer.MAX_VALUE, base + count - 1);
        Message<byte[]> m;
        try {
            m = EntryCodec.message(topic, fields, attempt);
        } catch (RuntimeException bad) {
            // Not written by Rivulet (or damaged): deliver what there is, so that it is dead-lettered as poison.
            byte[] payload = fields.getOrDefault(EntryCodec.PAYLOAD, new byte[0]);
            m = Message.builder(payload).id("entry-" + entryId).topic(topic).priority(level).attempt(attempt).build();
        }
        return new RedisDelivery(this, m, level, entryId, count);
    }

    /** Blocks on this consumer's own connection until a stream grows, {@code due} comes, or the poll interval ends. */
    private void await(long due, List<?> ends) {
        long now = backend.now();
        long wait = Math.min(backend.options().pollInterval().toMillis(), backend.options().commandTimeout().toMillis() / 2);
        if (due >= 0) {
            wait = Math.min(wait, due - now);
        }
        if (wait <= 0) {
            busy = false;
            signal();
            return;
        }
        String[] k = backend.keys().topic(topic);
        @SuppressWarnings("unchecked")
        XReadArgs.StreamOffset<String>[] offsets = new XReadArgs.StreamOffset[Keys.LEVELS];
        for (int level = 0; level < Keys.LEVELS; level++) {
            offsets[level] = XReadArgs.StreamOffset.from(k[level],
                    new String((byte[]) ends.get(level), StandardCharsets.US_ASCII));
        }
        XReadArgs args = XReadArgs.Builder.block(Duration.ofMillis(Math.max(1, wait))).count(1);
        waiting = blockingConnection()
                .flatMap(c -> c.reactive().xread(args, offsets).then())
                .doFinally(s -> {
                    if (s == reactor.core.publisher.SignalType.CANCEL) {
                        busy = false;
                        signal();
                    }
                })
                .subscribe(null, this::failed, () -> {
                    busy = false;
                    signal();
                });
    }

    /**
     * This consumer's own connection for blocking reads, opened once. Cached, so that cancelling a
     * wait never abandons a connection half-opened: {@link #finishCancelled} closes what it gets.
     */
    private Mono<StatefulRedisConnection<String, byte[]>> blockingConnection() {
        Mono<StatefulRedisConnection<String, byte[]>> c = blocking;
        if (c == null) {
            c = backend.connections().connect()
                    .doOnError(e -> blocking = null) // try again next time
                    .cache();
            blocking = c;
        }
        return c;
    }

    private void failed(Throwable e) {
        Throwable shown = Errors.translate(e, backend.options(), "consume from '" + topic + "'",
                backend.keys().pattern(topic));
        if (Errors.isLasting(e, backend.connections().everConnected()) && !cancelled) {
            cancelled = true;
            sink.error(shown);
            busy = false;
            signal();
            return;
        }
        failures++;
        if (failures == 1 || failures % 20 == 0) {
            LOG.warn("Consumer of '{}' could not read from Redis (failure {}), retrying: {}", topic, failures,
                    shown.getMessage());
        }
        long backoff = Math.min(backend.options().pollInterval().toMillis(),
                MIN_BACKOFF_MS << Math.min(failures - 1, 6));
        try {
            worker.schedule(() -> {
                busy = false;
                signal();
            }, backoff, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException gone) {
            busy = false;
        }
    }
}
