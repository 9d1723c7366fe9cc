package io.rivulet.core.internal.memory;

import io.rivulet.core.DeadLetter;
import io.rivulet.core.Message;
import io.rivulet.core.QueueFullException;
import io.rivulet.core.QueueStats;
import io.rivulet.core.memory.MemoryOptions;
import io.rivulet.core.spi.BackendDelivery;
import io.rivulet.core.spi.DeadLetterRecord;
import io.rivulet.core.spi.ReservedHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * One in-memory queue. State is guarded by the topic's monitor; deliveries are emitted outside it
 * by a single drain loop at a time (a work-in-progress counter), so a consumer that settles from
 * inside {@code onNext} re-enters the loop instead of recursing.
 */
final class MemoryTopic {

    private static final Comparator<MemoryDelivery> BY_DUE =
            Comparator.<MemoryDelivery>comparingLong(e -> e.dueAt).thenComparingLong(e -> e.seq);

    private final String name;
    private final MemoryBackend backend;
    private final MemoryOptions options;

    // Guarded by this.
    @SuppressWarnings("unchecked")
    private final ArrayDeque<MemoryDelivery>[] ready = new ArrayDeque[Message.MAX_PRIORITY + 1];
    private int readyCount;
    private final PriorityQueue<MemoryDelivery> delayed = new PriorityQueue<>(BY_DUE);
    // In-flight deliveries in delivery order, which is also deadline order (the visibility timeout is
    // fixed): an intrusive list through MemoryDelivery, so taking and settling allocate nothing.
    private MemoryDelivery inFlightHead;
    private MemoryDelivery inFlightTail;
    private int inFlightCount;
    private final List<DeadLetter> dead = new ArrayList<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final List<Waiter> admitted = new ArrayList<>();
    // Set under the monitor when admitted gets an entry, so the drain loop locks only when it must.
    private volatile boolean hasAdmitted;
    private long completed;
    private long failed;
    private long retried;
    private long seq;
    private Disposable delayTimer;
    private long delayTimerAt = Long.MAX_VALUE;
    private Disposable visibilityTimer;

    // Copy-on-write by hand: the drain loop runs about once per publish and iterating a plain
    // array allocates nothing, where a CopyOnWriteArrayList's iterator costs an object each time.
    private final Object consumersLock = new Object();
    private volatile Consumer[] consumers = new Consumer[0];
    private final AtomicInteger wip = new AtomicInteger();
    // Acks land here without the monitor and are applied in bulk (see applyAcks): the consumer's
    // ack and the producer's publish then rarely fight over the monitor. A lock-free stack linked
    // through MemoryDelivery.nextAck, so queueing an ack allocates nothing.
    private volatile MemoryDelivery acks;
    // Publishes that found room land here without the monitor, already counted in size, and are
    // applied in bulk by the drain loop (see applyIncoming). A lock-free stack linked through
    // MemoryDelivery.nextIncoming, reversed when applied to keep publish order.
    private volatile MemoryDelivery incoming;
    private static final AtomicReferenceFieldUpdater<MemoryTopic, MemoryDelivery> ACKS =
            AtomicReferenceFieldUpdater.newUpdater(MemoryTopic.class, MemoryDelivery.class, "acks");
    private static final AtomicReferenceFieldUpdater<MemoryTopic, MemoryDelivery> INCOMING =
            AtomicReferenceFieldUpdater.newUpdater(MemoryTopic.class, MemoryDelivery.class, "incoming");
    // Stored messages (ready, delayed and incoming): the bound MemoryOptions.maxQueueSize applies to.
    private final AtomicInteger size = new AtomicInteger();
    private volatile boolean hasWaiters;
    /** The most deliveries one monitor acquisition hands to a consumer. */
    private static final int TAKE_BATCH = 64;
    // Used only by the thread that owns the drain loop (wip went from 0): one array per topic rather
    // than one per drain, which ran once per publish and per ack. The wip updates publish its
    // (always nulled) contents between owners.
    private final MemoryDelivery[] batch = new MemoryDelivery[TAKE_BATCH];

    MemoryTopic(String name, MemoryBackend backend) {
        this.name = name;
        this.backend = backend;
        this.options = backend.options();
        for (int i = 0; i < ready.length; i++) {
            ready[i] = new ArrayDeque<>();
        }
    }

    // ---- publish ---------------------------------------------------------------------------

    /**
     * Stores {@code message} if there is room now and no publisher waits, without taking the
     * monitor; returns whether it did. The drain this starts (or the running one) files it.
     */
    boolean offer(Message<byte[]> message) {
        if (hasWaiters) {
            return false;
        }
        int max = options.maxQueueSize();
        for (int n = size.get(); ; n = size.get()) {
            if (n >= max) {
                return false;
            }
            if (size.compareAndSet(n, n + 1)) {
                break;
            }
        }
        long due = message.availableAt() == null ? Long.MIN_VALUE : message.availableAt().toEpochMilli();
        MemoryDelivery e = new MemoryDelivery(this, message, 1, due);
        for (MemoryDelivery head = incoming; ; head = incoming) {
            e.nextIncoming = head;
            if (INCOMING.compareAndSet(this, head, e)) {
                break;
            }
        }
        drain();
        return true;
    }

    // Guarded by this.
    private void applyIncomingLocked(long now) {
        if (incoming == null) {
            return;
        }
        // The stack holds the newest first: reverse it to file in publish order.
        MemoryDelivery oldest = null;
        for (MemoryDelivery e = INCOMING.getAndSet(this, null); e != null; ) {
            MemoryDelivery next = e.nextIncoming;
            e.nextIncoming = oldest;
            oldest = e;
            e = next;
        }
        for (MemoryDelivery e = oldest; e != null; ) {
            MemoryDelivery next = e.nextIncoming;
            e.nextIncoming = null;
            if (e.dueAt == Long.MIN_VALUE) {
                e.dueAt = now;
            }
            file(e, now);
            e = next;
        }
    }

    Mono<Void> publish(Message<byte[]> message) {
        if (offer(message)) {
            return Mono.empty();
        }
        long now = backend.now();
        long due = message.availableAt() == null ? now : message.availableAt().toEpochMilli();
        MemoryDelivery entry = new MemoryDelivery(this, message, 1, due);
        synchronized (this) {
            if (size.get() >= options.maxQueueSize()) {
                if (options.overflow() == MemoryOptions.Overflow.FAIL) {
                    return Mono.error(new QueueFullException("In-memory queue '" + name + "' holds its maximum of "
                            + options.maxQueueSize() + " messages (MemoryOptions.maxQueueSize): consume faster, "
                            + "raise the bound, or choose MemoryOptions.Overflow.BACKPRESSURE"));
                }
                return Mono.create(sink -> admitLater(entry, sink));
            }
            enqueue(entry, now);
        }
        drain();
        return Mono.empty();
    }

    private void admitLater(MemoryDelivery entry, MonoSink<Void> sink) {
        boolean admitted = false;
        synchronized (this) {
            if (backend.isClosed()) {
                sink.error(MemoryBackend.closedError(name));
                return;
            }
            if (size.get() < options.maxQueueSize() && waiters.isEmpty()) {
                enqueue(entry, backend.now());
                admitted = true;
            } else {
                Waiter w = new Waiter(entry, sink);
                waiters.add(w);
                hasWaiters = true;
                sink.onCancel(() -> removeWaiter(w));
            }
        }
        if (admitted) {
            sink.success();
            drain();
        }
    }

    private synchronized void removeWaiter(Waiter w) {
        waiters.remove(w);
        hasWaiters = !waiters.isEmpty();
    }

    /** Admits waiting publishers while there is room; completes them outside the monitor. */
    private void admitWaiters() {
        List<Waiter> admitted = null;
        synchronized (this) {
            while (!waiters.isEmpty() && size.get() < options.maxQueueSize()) {
                Waiter w = waiters.poll();
                hasWaiters = !waiters.isEmpty();
                enqueue(w.entry, backend.now());
                if (admitted == null) {
                    admitted = new ArrayList<>();
                }
                admitted.add(w);
            }
        }
        if (admitted != null) {
            admitted.forEach(w -> w.sink.success());
            drain();
        }
    }

    // Guarded by this.
    private void enqueue(MemoryDelivery entry, long now) {
        size.incrementAndGet();
        file(entry, now);
    }

    // Guarded by this. Files an entry already counted in size.
    private void file(MemoryDelivery entry, long now) {
        entry.seq = ++seq;
        if (entry.dueAt <= now) {
            ready[entry.stored.priority()].addLast(entry);
            readyCount++;
        } else {
            delayed.add(entry);
            if (entry.dueAt < delayTimerAt) {
                scheduleDelayTimer(entry.dueAt, now);
            }
        }
    }

    // Guarded by this.
    private void scheduleDelayTimer(long at, long now) {
        if (delayTimer != null) {
            delayTimer.dispose();
        }
        delayTimerAt = at;
        delayTimer = options.scheduler().schedule(this::moveDue, Math.max(0, at - now), TimeUnit.MILLISECONDS);
    }

    private void moveDue() {
        synchronized (this) {
            delayTimer = null;
            delayTimerAt = Long.MAX_VALUE;
            if (backend.isClosed()) {
                return;
            }
            long now = backend.now();
            while (!delayed.isEmpty() && delayed.peek().dueAt <= now) {
                MemoryDelivery e = delayed.poll();
                ready[e.stored.priority()].addLast(e);
                readyCount++;
            }
            if (!delayed.isEmpty()) {
                scheduleDelayTimer(delayed.peek().dueAt, now);
            }
        }
        drain();
    }

    // ---- consume ---------------------------------------------------------------------------

    Flux<BackendDelivery> consume(int prefetch) {
        return Flux.create(sink -> {
            Consumer c = new Consumer(sink, prefetch);
            if (backend.isClosed()) {
                sink.complete();
                return;
            }
            addConsumer(c);
            sink.onDispose(() -> {
                c.cancelled = true;
                removeConsumer(c);
            });
            if (backend.isClosed()) {
                // Closed between the check above and the add: close() may have missed this consumer.
                sink.complete();
                return;
            }
            sink.onRequest(n -> {
                c.request(n);
                drain();
            });
        // IGNORE: the drain loop emits only against the consumer's own demand count, so a buffer in
        // the sink would only add a queue hop per delivery.
        }, FluxSink.OverflowStrategy.IGNORE);
    }

    private void addConsumer(Consumer c) {
        synchronized (consumersLock) {
            Consumer[] more = Arrays.copyOf(consumers, consumers.length + 1);
            more[more.length - 1] = c;
            consumers = more;
        }
    }

    private void removeConsumer(Consumer c) {
        synchronized (consumersLock) {
            consumers = Arrays.stream(consumers).filter(other -> other != c).toArray(Consumer[]::new);
        }
    }

    void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        MemoryDelivery[] batch = this.batch;
        int missed = 1;
        for (;;) {
            boolean progress = true;
            while (progress) {
                progress = false;
                for (Consumer c : consumers) {
                    long requested = c.requested.get();
                    if (c.cancelled || requested <= 0) {
                        continue;
                    }
                    // A fresh clock read per batch: deadlines must not start in the past.
                    int n = take(c, backend.now(), batch, (int) Math.min(requested, TAKE_BATCH));
                    if (n == 0) {
                        continue;
                    }
                    if (requested != Long.MAX_VALUE) {
                        c.requested.addAndGet(-n);
                    }
                    for (int i = 0; i < n; i++) {
                        if (c.cancelled) {
                            // The sink drops what a cancelled consumer is given: put it back.
                            release(batch, i, n);
                            break;
                        }
                        c.sink.next(batch[i]);
                        batch[i] = null;
                    }
                    progress = true;
                }
            }
            // No consumer wanted any: file what is pending all the same, for readyHint and the bound.
            if (acks != null || incoming != null) {
                applyPending(backend.now());
            }
            completeAdmitted();
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    /** Completes, outside the monitor, the publishers that {@link #take} let in. */
    private void completeAdmitted() {
        if (!hasAdmitted) {
            return;
        }
        List<Waiter> done;
        synchronized (this) {
            hasAdmitted = false;
            if (admitted.isEmpty()) {
                return;
            }
            done = new ArrayList<>(admitted);
            admitted.clear();
        }
        done.forEach(w -> w.sink.success());
    }

    /**
     * Files pending acks and offers, then moves up to {@code max} ready messages in flight for
     * {@code c} into {@code out}; returns how many. One monitor acquisition for both.
     */
    private synchronized int take(Consumer c, long now, MemoryDelivery[] out, int max) {
        applyAcksLocked();
        applyIncomingLocked(now);
        int n = 0;
        while (n < max && c.unsettled < c.prefetch && readyCount > 0) {
            MemoryDelivery d = null;
            for (int p = ready.length - 1; p >= 0; p--) {
                d = ready[p].pollFirst();
                if (d != null) {
                    break;
                }
            }
            readyCount--;
            size.decrementAndGet();
            if (!waiters.isEmpty()) {
                // A slot freed up: let one waiting publisher in; its Mono completes after the loop.
                Waiter w = waiters.poll();
                hasWaiters = !waiters.isEmpty();
                enqueue(w.entry, now);
                admitted.add(w);
                hasAdmitted = true;
            }
            d.deliver(c, now + options.visibilityTimeout().toMillis());
            link(d);
            if (visibilityTimer == null) {
                scheduleVisibilityTimer(d.deadline, now);
            }
            out[n++] = d;
        }
        return n;
    }

    // Guarded by this.
    private void scheduleVisibilityTimer(long at, long now) {
        visibilityTimer = options.scheduler().schedule(this::expireInFlight, Math.max(0, at - now),
                TimeUnit.MILLISECONDS);
    }

    private void expireInFlight() {
        synchronized (this) {
            applyAcksLocked();
            visibilityTimer = null;
            if (backend.isClosed()) {
                return;
            }
            long now = backend.now();
            for (MemoryDelivery d = inFlightHead; d != null; d = inFlightHead) {
                if (d.deadline > now) {
                    scheduleVisibilityTimer(d.deadline, now);
                    break;
                }
                unlink(d);
                enqueue(d.requeue(d.message().attempt() + 1, now), now);
            }
        }
        drain();
    }

    // ---- settlement ------------------------------------------------------------------------

    /**
     * Acks an in-flight delivery: queued without the monitor and applied in bulk by the next drain
     * pass (which this call starts, or the running drain makes), by {@link #stats()} and before
     * visibility expiry, so no observer ever sees an acked message as in flight or redelivered.
     */
    void ack(MemoryDelivery d) {
        if (!d.queueAck()) {
            return; // acked before: the first ack settled it, or finds it stale
        }
        for (MemoryDelivery head = acks; ; head = acks) {
            d.nextAck = head;
            if (ACKS.compareAndSet(this, head, d)) {
                break;
            }
        }
        drain();
    }

    private void applyPending(long now) {
        synchronized (this) {
            applyAcksLocked();
            applyIncomingLocked(now);
        }
    }

    // Guarded by this.
    private void applyAcksLocked() {
        if (acks == null) {
            return;
        }
        for (MemoryDelivery d = ACKS.getAndSet(this, null); d != null; ) {
            MemoryDelivery next = d.nextAck;
            d.nextAck = null;
            if (d.inFlight) {
                unlink(d);
                completed++;
            }
            d = next;
        }
    }

    /** Settles an in-flight delivery; a stale one (already expired and requeued) has no effect. */
    void settle(MemoryDelivery d, Settlement how, Duration delay, int nextAttempt, DeadLetterRecord record) {
        synchronized (this) {
            applyAcksLocked();
            if (!d.inFlight) {
                return;
            }
            unlink(d);
            switch (how) {
                case ACK -> completed++;
                case NACK -> {
                    retried++;
                    long now = backend.now();
                    enqueue(d.requeue(nextAttempt, now + delay.toMillis()), now);
                }
                case DEAD_LETTER -> {
                    failed++;
                    dead.add(ReservedHeaders.deadLetter(d.message(), record, Instant.ofEpochMilli(backend.now())));
                }
                case DROP -> failed++;
                case RELEASE -> putBack(d);
            }
        }
        drain();
    }

    enum Settlement { ACK, NACK, DEAD_LETTER, DROP, RELEASE }

    // Guarded by this. Returns a taken message to the front of its priority, with the same attempt.
    private void putBack(MemoryDelivery taken) {
        MemoryDelivery entry = taken.requeue(taken.nextAttempt, backend.now());
        entry.seq = ++seq;
        size.incrementAndGet();
        ready[entry.stored.priority()].addFirst(entry);
        readyCount++;
    }

    /** Returns deliveries taken for a consumer that cancelled before they could be emitted. */
    private void release(MemoryDelivery[] taken, int from, int to) {
        synchronized (this) {
            // Back to front, so that putting each at the front keeps their order.
            for (int i = to - 1; i >= from; i--) {
                MemoryDelivery d = taken[i];
                taken[i] = null;
                if (d.inFlight) {
                    unlink(d);
                    putBack(d);
                }
            }
        }
    }

    // Guarded by this.
    // Counts the delivery in flight and against its consumer's prefetch; unlink undoes both.
    private void link(MemoryDelivery d) {
        d.inFlight = true;
        d.consumer.unsettled++;
        d.prev = inFlightTail;
        if (inFlightTail == null) {
            inFlightHead = d;
        } else {
            inFlightTail.next = d;
        }
        inFlightTail = d;
        inFlightCount++;
    }

    // Guarded by this.
    private void unlink(MemoryDelivery d) {
        d.inFlight = false;
        d.consumer.unsettled--;
        if (d.prev == null) {
            inFlightHead = d.next;
        } else {
            d.prev.next = d.next;
        }
        if (d.next == null) {
            inFlightTail = d.prev;
        } else {
            d.next.prev = d.prev;
        }
        d.prev = null;
        d.next = null;
        inFlightCount--;
    }

    // ---- admin -----------------------------------------------------------------------------

    synchronized QueueStats stats() {
        applyAcksLocked();
        applyIncomingLocked(backend.now());
        return new QueueStats(name, readyCount, inFlightCount, delayed.size(), dead.size(),
                completed, failed, retried);
    }

    synchronized long readyCount() {
        return readyCount;
    }

    long clear() {
        long n;
        synchronized (this) {
            applyIncomingLocked(backend.now());
            n = readyCount + delayed.size();
            size.addAndGet((int) -n);
            for (ArrayDeque<MemoryDelivery> q : ready) {
                q.clear();
            }
            readyCount = 0;
            delayed.clear();
        }
        admitWaiters();
        return n;
    }

    synchronized List<DeadLetter> deadLetters(int limit) {
        return new ArrayList<>(dead.subList(0, Math.min(limit, dead.size())));
    }

    synchronized long deadLetterCount() {
        return dead.size();
    }

    boolean replay(String id) {
        synchronized (this) {
            Iterator<DeadLetter> it = dead.iterator();
            DeadLetter found = null;
            while (it.hasNext()) {
                DeadLetter dl = it.next();
                if (dl.id().equals(id)) {
                    found = dl;
                    it.remove();
                    break;
                }
            }
            if (found == null) {
                return false;
            }
            long now = backend.now();
            enqueue(new MemoryDelivery(this, ReservedHeaders.replayOf(found), 1, now), now);
        }
        drain();
        return true;
    }

    long replayAll() {
        long n;
        synchronized (this) {
            long now = backend.now();
            n = dead.size();
            for (DeadLetter dl : dead) {
                enqueue(new MemoryDelivery(this, ReservedHeaders.replayOf(dl), 1, now), now);
            }
            dead.clear();
        }
        drain();
        return n;
    }

    synchronized long purgeDeadLetters() {
        long n = dead.size();
        dead.clear();
        return n;
    }

    void close() {
        List<Waiter> refused;
        synchronized (this) {
            if (delayTimer != null) {
                delayTimer.dispose();
            }
            if (visibilityTimer != null) {
                visibilityTimer.dispose();
            }
            refused = new ArrayList<>(waiters);
            waiters.clear();
            hasWaiters = false;
        }
        refused.forEach(w -> w.sink.error(MemoryBackend.closedError(name)));
        for (Consumer c : consumers) {
            c.sink.complete();
        }
    }

    String name() {
        return name;
    }

    // ---- records ---------------------------------------------------------------------------

    /** One subscriber to this topic; {@code requested} and {@code unsettled} are guarded as noted. */
    static final class Consumer {
        final FluxSink<BackendDelivery> sink;
        final int prefetch;
        final AtomicLong requested = new AtomicLong();
        // Guarded by the topic monitor.
        int unsettled;
        volatile boolean cancelled;

        Consumer(FluxSink<BackendDelivery> sink, int prefetch) {
            this.sink = sink;
            this.prefetch = prefetch;
        }

        void request(long n) {
            requested.getAndUpdate(r -> r + n < 0 ? Long.MAX_VALUE : r + n);
        }
    }

    private record Waiter(MemoryDelivery entry, MonoSink<Void> sink) {
    }
}
