package io.rivulet.redis.internal;

import io.lettuce.core.XReadArgs;
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
import reactor.util.retry.Retry;

/**
 * One subscriber to a topic. A drain loop on its own {@code boundedElastic} worker emits what was
 * read, and reads more (the fetch script) only while there is demand and room under the prefetch,
 * never more than both. When the fetch finds nothing it blocks on a connection of its own
 * ({@code XREAD BLOCK} past each stream's last entry) until something arrives, the next delayed
 * message is due, or the poll interval passes. Entries read but not emitted when the subscriber
 * cancels are released (back to the stream, same attempt). Passing errors (Redis restarting, a
 * connection cut) are retried with backoff; lasting ones (credentials, key types) end the Flux.
 *
 * <p>Lettuce's I/O thread is the busiest thread of a backend (it encodes and decodes every
 * command), so work per message stays off it: a read's reply is parsed into deliveries on the
 * consumer's thread as they are emitted, and acks are batched — an ack goes out at once when none
 * is under way, and those that come meanwhile go out together in one script call when it returns
 * (each still fenced by its own delivery count).
 */
final class RedisConsumer {

    private static final Logger LOG = Loggers.getLogger(RedisConsumer.class);
    private static final long MIN_BACKOFF_MS = 50;

    private final RedisBackend backend;
    private final String topic;
    private final int prefetch;
    private final FluxSink<BackendDelivery> sink;
    private final Scheduler.Worker worker = Schedulers.boundedElastic().createWorker();
    private static final int MAX_ACK_BATCH = 256;

    // Entries read and not yet emitted, as the fetch script returned them (parsed when emitted).
    private final Queue<List<?>> buffer = new ConcurrentLinkedQueue<>();
    private final Batcher<RedisDelivery> acks;
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
    private volatile Mono<Connections.Link> blocking;
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
        this.acks = new Batcher<>(MAX_ACK_BATCH, 1, this::ackAll, (reply, i) -> null, n -> {
            unsettled.addAndGet(-n);
            signalIfUseful();
        });
    }

    RedisBackend backend() {
        return backend;
    }

    void start() {
        sink.onRequest(n -> {
            requested.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            signalIfUseful();
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
        unsettled.decrementAndGet();
        signalIfUseful();
    }

    /**
     * Wakes the loop only when it has something to do: emit what was read, read more, or finish.
     * Not once per ack or per request(1) while a read is under way or too little room is free for
     * one: each wake-up is a hop to the consumer's thread. Safe against races because every caller
     * changes the counters before it looks, and whoever clears {@code busy} or fills the buffer
     * signals unconditionally afterwards.
     */
    private void signalIfUseful() {
        if (cancelled) {
            signal();
            return;
        }
        long r = requested.get();
        if (r == 0) {
            return; // nothing may be emitted or read until the subscriber asks
        }
        if (!buffer.isEmpty()) {
            signal();
            return;
        }
        if (busy) {
            return;
        }
        long want = Math.min(Math.min(prefetch - unsettled.get(), r), backend.options().fetchSize());
        if (want > 0 && want >= Math.min(lowMark, r)) {
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
                    List<?> entry = buffer.poll();
                    if (entry == null) {
                        break;
                    }
                    sink.next(delivery(entry));
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
        for (List<?> entry = buffer.poll(); entry != null; entry = buffer.poll()) {
            back.add(delivery(entry).release());
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
        Mono<Connections.Link> c = blocking;
        Mono.when(releases.stream().map(m -> m.onErrorResume(e -> {
                    LOG.warn("Could not release messages of '{}' read but never delivered: they come back after "
                            + "the visibility timeout ({})", topic, e.toString());
                    return Mono.empty();
                })).toList())
                .then(c == null ? Mono.empty()
                        : c.flatMap(Connections.Link::close).onErrorResume(e -> Mono.empty()))
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
        try {
            take(reply);
        } catch (RuntimeException e) {
            // An unexpected reply must not leave the loop waiting forever: retry like any failure.
            failed(e);
        }
    }

    private void take(Object reply) {
        List<?> top = (List<?>) reply;
        List<?> entries = (List<?>) top.get(0);
        failures = 0;
        if (!entries.isEmpty()) {
            unsettled.addAndGet(entries.size());
            for (Object o : entries) {
                buffer.add((List<?>) o);
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
        byte[] entryId = (byte[]) e.get(1);
        long count = RedisBackend.num(e.get(2));
        List<?> flat = (List<?>) e.get(3);
        Map<String, byte[]> fields = new HashMap<>(8);
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            fields.put(new String((byte[]) flat.get(i), StandardCharsets.UTF_8), (byte[]) flat.get(i + 1));
        }
        int attempt = (int) Math.min(Integer.MAX_VALUE, count);
        Message<byte[]> m;
        try {
            int base = Integer.parseInt(EntryCodec.text(fields, EntryCodec.ATTEMPT));
            attempt = (int) Math.min(Integer.MAX_VALUE, base + count - 1);
            m = EntryCodec.message(topic, fields, attempt);
        } catch (RuntimeException bad) {
            // Not written by Rivulet (or damaged): deliver what there is, so that it is dead-lettered as poison.
            byte[] payload = fields.getOrDefault(EntryCodec.PAYLOAD, new byte[0]);
            m = Message.builder(payload).id("entry-" + new String(entryId, StandardCharsets.US_ASCII)).topic(topic).priority(level).attempt(attempt).build();
        }
        return new RedisDelivery(this, m, level, entryId, count);
    }

    /** Acks {@code d}: at once if no ack is under way, else with the others when it returns. */
    Mono<Void> ack(RedisDelivery d) {
        return acks.add(d);
    }

    private Mono<Object> ackAll(List<RedisDelivery> batch) {
        byte[][] args = new byte[1 + 3 * batch.size()][];
        args[0] = Keys.GROUP_BYTES;
        int i = 1;
        for (RedisDelivery d : batch) {
            args[i++] = EntryCodec.num(d.level());
            args[i++] = d.entryId();
            args[i++] = EntryCodec.num(d.deliveryCount());
        }
        // An ack is fenced, so running it again is harmless: a call whose reply a cut connection or
        // a restart lost (it may have been applied) is retried rather than reported as failed.
        return backend.script(Scripts.ACK, () -> batch.size() == 1
                        ? "ack message " + batch.get(0).message().id() + " of '" + topic + "'"
                        : "ack " + batch.size() + " messages of '" + topic + "'", topic, args)
                .retryWhen(Retry.backoff(3, Duration.ofMillis(MIN_BACKOFF_MS))
                        .filter(e -> !Errors.isLasting(e, backend.connections().everConnected()))
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
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
                .flatMap(c -> c.commands().xread(args, offsets).then())
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
    private Mono<Connections.Link> blockingConnection() {
        Mono<Connections.Link> c = blocking;
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
