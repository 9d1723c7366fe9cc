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
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Operators;

/**
 * One in-memory queue. State is guarded by the topic's monitor; deliveries are emitted outside it
 * by a single drain loop at a time (a work-in-progress counter), so a consumer that settles from
 * inside {@code onNext} re-enters the loop instead of recursing.
 */
final class MemoryTopic {

    private final String name;
    private final MemoryBackend backend;
    private final MemoryOptions options;

    // Guarded by this.
    private final TopicStore store;
    private final List<DeadLetter> dead = new ArrayList<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final List<Waiter> admitted = new ArrayList<>();
    // Set under the monitor when admitted gets an entry, so the drain loop locks only when it must.
    private volatile boolean hasAdmitted;
    private long completed;
    private long failed;
    private long retried;
    private Disposable delayTimer;
    private long delayTimerAt = Long.MAX_VALUE;
    private Disposable visibilityTimer;

    // Copy-on-write by hand: the drain loop runs about once per publish and iterating a plain
    // array allocates nothing, where a CopyOnWriteArrayList's iterator costs an object each time.
    private final Object consumersLock = new Object();
    private volatile MemoryConsumer[] consumers = new MemoryConsumer[0];
    private final AtomicInteger wip = new AtomicInteger();
    // Acks land here without the monitor and are applied in bulk (see applyAcks): the consumer's
    // ack and the producer's publish then rarely fight over the monitor. A lock-free stack linked
    // through MemoryDelivery.nextPending, so queueing an ack allocates nothing.
    private final PendingStack acks = new PendingStack();
    // Publishes that found room land here without the monitor, already counted in size, and are
    // applied in bulk by the drain loop (see applyIncoming). A lock-free stack linked through
    // MemoryDelivery.nextPending, reversed when applied to keep publish order.
    //
    // Only a push onto an empty stack starts a drain: whoever pushed the bottom entry called drain()
    // after pushing, so a drain pass that ends after that call (and takes the whole stack) is still
    // due for every entry above it. A consumer acking one delivery at a time, or a producer
    // publishing a stream, then contends for the drain loop once per batch rather than per message.
    private final PendingStack incoming = new PendingStack();
    // Stored messages (ready, delayed and incoming): the bound MemoryOptions.maxQueueSize applies to.
    private final AtomicInteger size = new AtomicInteger();
    private volatile boolean hasWaiters;
    // Set by the drain loop at the end of each pass: no consumer could take a delivery (none with both
    // demand and room under its prefetch). Offers then leave their entries on the incoming stack for
    // the pass that unblocks a consumer, rather than each paying a drain pass that delivers nothing.
    private volatile boolean blocked;
    /** While no consumer can take, offers start a drain pass once per this many (a power of two). */
    private static final int FILE_EVERY = 4096;
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
        this.store = new TopicStore(name, options.heapBacklog());
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
        int n;
        for (n = size.get(); ; n = size.get()) {
            if (n >= max) {
                return false;
            }
            if (size.compareAndSet(n, n + 1)) {
                break;
            }
        }
        long due = message.availableAt() == null ? Long.MIN_VALUE : message.availableAt().toEpochMilli();
        MemoryDelivery e = new MemoryDelivery(message, 1, due);
        boolean first = incoming.push(e);
        // Only a push onto an empty stack starts a drain (see incoming), and only while a consumer
        // could take it: else the drain pass that unblocks one (after an ack, a request, a new
        // consumer) takes the stack; see blocked. While blocked, every FILE_EVERY-th offer still
        // starts one, which files the stack into the store: a backlog published with no consumer
        // taking it then waits there, within the store's heap bound, rather than all on the stack.
        if (blocked ? (n & (FILE_EVERY - 1)) == 0 : first) {
            drain();
        }
        return true;
    }

    // Guarded by this. Reads the clock only for an offer with a delay: a clock read is a system call
    // on some virtual machines (about 150 ns), which per drain pass was a tenth of a hand-off.
    private void applyIncomingLocked() {
        if (incoming.isEmpty()) {
            return;
        }
        // The stack holds the newest first: reverse it to file in publish order.
        MemoryDelivery oldest = null;
        for (MemoryDelivery e = incoming.takeAll(); e != null; ) {
            MemoryDelivery next = e.nextPending;
            e.nextPending = oldest;
            oldest = e;
            e = next;
        }
        long now = Long.MIN_VALUE;
        for (MemoryDelivery e = oldest; e != null; ) {
            MemoryDelivery next = e.nextPending;
            e.nextPending = null;
            if (e.dueAt == Long.MIN_VALUE) {
                // No delay: ready at once (dueAt stays MIN_VALUE, which only delayed entries read).
                store.addReady(e);
            } else {
                if (now == Long.MIN_VALUE) {
                    now = backend.now();
                }
                file(e, now);
            }
            e = next;
        }
    }

    Mono<Void> publish(Message<byte[]> message) {
        if (offer(message)) {
            return Mono.empty();
        }
        long now = backend.now();
        long due = message.availableAt() == null ? now : message.availableAt().toEpochMilli();
        MemoryDelivery entry = new MemoryDelivery(message, 1, due);
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
        // Offers still on the incoming stack came first: file them first, to keep publish order.
        applyIncomingLocked();
        size.incrementAndGet();
        file(entry, now);
    }

    // Guarded by this. Files an entry already counted in size.
    private void file(MemoryDelivery entry, long now) {
        if (entry.dueAt <= now) {
            store.addReady(entry);
        } else {
            store.addDelayed(entry);
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
            long next = store.moveDue(now);
            if (next != Long.MAX_VALUE) {
                scheduleDelayTimer(next, now);
            }
        }
        drain();
    }

    // ---- consume ---------------------------------------------------------------------------

    Flux<BackendDelivery> consume(int prefetch) {
        return new Flux<>() {
            @Override
            public void subscribe(CoreSubscriber<? super BackendDelivery> actual) {
                if (backend.isClosed()) {
                    Operators.complete(actual);
                    return;
                }
                MemoryConsumer c = new MemoryConsumer(MemoryTopic.this, actual, prefetch);
                actual.onSubscribe(c);
                addConsumer(c);
                if (c.cancelled) {
                    // Cancelled before the add: its cancel() had nothing to remove yet.
                    removeConsumer(c);
                    return;
                }
                if (backend.isClosed()) {
                    // Closed between the check above and the add: close() may have missed it.
                    c.closing = true;
                }
                drain();
            }
        };
    }

    private void addConsumer(MemoryConsumer c) {
        synchronized (consumersLock) {
            MemoryConsumer[] more = Arrays.copyOf(consumers, consumers.length + 1);
            more[more.length - 1] = c;
            consumers = more;
        }
    }

    void removeConsumer(MemoryConsumer c) {
        synchronized (consumersLock) {
            consumers = Arrays.stream(consumers).filter(other -> other != c).toArray(MemoryConsumer[]::new);
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
                for (MemoryConsumer c : consumers) {
                    if (c.cancelled) {
                        continue;
                    }
                    if (c.closing) {
                        c.cancelled = true;
                        removeConsumer(c);
                        c.actual.onComplete();
                        continue;
                    }
                    long requested = c.requested();
                    if (requested <= 0) {
                        continue;
                    }
                    int n = take(c, batch, (int) Math.min(requested, TAKE_BATCH));
                    if (n == 0) {
                        continue;
                    }
                    c.produced(n);
                    for (int i = 0; i < n; i++) {
                        if (c.cancelled) {
                            // The sink drops what a cancelled consumer is given: put it back.
                            release(batch, i, n);
                            break;
                        }
                        c.actual.onNext(batch[i]);
                        batch[i] = null;
                    }
                    progress = true;
                }
            }
            // Written before reading incoming, as offer() pushes before reading it: one of the two
            // sees the other, so an offer that skipped its drain is delivered by this loop.
            boolean nowBlocked = noConsumerCanTake();
            if (blocked != nowBlocked) {
                // Only on a change, as offers read it on every publish; skipping a write of the same
                // value keeps the protocol: the last write is still before the read below.
                blocked = nowBlocked;
            }
            if (!nowBlocked && !incoming.isEmpty()) {
                continue;
            }
            // No consumer can take any. Pending offers are filed all the same (the ready count, the
            // order of slow-path publishes). Pending acks only matter to a consumer with demand, whose
            // room under its prefetch they free; without demand they stay on the stack, so the next
            // acks push onto a non-empty stack and start no drain pass (a pass with the monitor per
            // ack, otherwise). The consumer's next request drains and take() applies them; stats,
            // expiry and settlements apply them first too.
            boolean applyAcks = !acks.isEmpty() && anyDemand();
            if (applyAcks || !incoming.isEmpty()) {
                applyPending(applyAcks);
            }
            completeAdmitted();
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    /**
     * Whether no consumer could take a delivery now: none has both demand and room under its
     * prefetch. Read by the drain loop's owner; {@code unsettled} is only lowered under the monitor
     * by a drain pass or by a settlement, which starts a drain pass after it.
     */
    private boolean noConsumerCanTake() {
        for (MemoryConsumer c : consumers) {
            if (c.hasDemand() && c.unsettled < c.prefetch) {
                return false;
            }
        }
        return true;
    }

    /** Whether a live consumer has outstanding demand. */
    private boolean anyDemand() {
        for (MemoryConsumer c : consumers) {
            if (c.hasDemand()) {
                return true;
            }
        }
        return false;
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
    private synchronized int take(MemoryConsumer c, MemoryDelivery[] out, int max) {
        applyAcksLocked();
        applyIncomingLocked();
        if (store.readyCount() == 0 || c.unsettled >= c.prefetch) {
            return 0;
        }
        // One clock read per batch, and only for a batch that delivers; fresh for each batch, as a
        // deadline must not start before its delivery.
        long now = backend.now();
        long deadline = now + options.visibilityTimeout().toMillis();
        int n = 0;
        // Slots freed and not handed to a waiting publisher: released in one atomic operation.
        int freed = 0;
        while (n < max && c.unsettled < c.prefetch && store.readyCount() > 0) {
            MemoryDelivery d = store.pollReady();
            if (!waiters.isEmpty()) {
                // A slot freed up: let one waiting publisher in; its Mono completes after the loop.
                size.decrementAndGet();
                Waiter w = waiters.poll();
                hasWaiters = !waiters.isEmpty();
                enqueue(w.entry, now);
                admitted.add(w);
                hasAdmitted = true;
            } else {
                freed++;
            }
            d.deliver(c, deadline);
            store.link(d);
            if (visibilityTimer == null) {
                scheduleVisibilityTimer(d.deadline(), now);
            }
            out[n++] = d;
        }
        if (freed > 0) {
            size.addAndGet(-freed);
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
            for (MemoryDelivery d = store.oldestInFlight(); d != null; d = store.oldestInFlight()) {
                if (d.deadline() > now) {
                    scheduleVisibilityTimer(d.deadline(), now);
                    break;
                }
                store.unlink(d);
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
        if (acks.push(d)) {
            drain();
        }
    }

    private void applyPending(boolean withAcks) {
        synchronized (this) {
            if (withAcks) {
                applyAcksLocked();
            }
            applyIncomingLocked();
        }
    }

    // Guarded by this.
    private void applyAcksLocked() {
        if (acks.isEmpty()) {
            return;
        }
        for (MemoryDelivery d = acks.takeAll(); d != null; ) {
            MemoryDelivery next = d.nextPending;
            d.nextPending = null;
            if (d.inFlight) {
                store.unlink(d);
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
            store.unlink(d);
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
        size.incrementAndGet();
        store.putFirst(entry);
    }

    /** Returns deliveries taken for a consumer that cancelled before they could be emitted. */
    private void release(MemoryDelivery[] taken, int from, int to) {
        synchronized (this) {
            // Back to front, so that putting each at the front keeps their order.
            for (int i = to - 1; i >= from; i--) {
                MemoryDelivery d = taken[i];
                taken[i] = null;
                if (d.inFlight) {
                    store.unlink(d);
                    putBack(d);
                }
            }
        }
    }

    // ---- admin -----------------------------------------------------------------------------

    synchronized QueueStats stats() {
        applyAcksLocked();
        applyIncomingLocked();
        return new QueueStats(name, store.readyCount(), store.inFlightCount(), store.delayedCount(), dead.size(),
                completed, failed, retried);
    }

    synchronized long readyCount() {
        // Offers wait on the incoming stack while no consumer can take them: count them as ready.
        applyIncomingLocked();
        return store.readyCount();
    }

    /** Ready entries the store holds as objects, not counting offers not filed yet. */
    synchronized int heapReadyCount() {
        return store.heapReadyCount();
    }

    /** Bytes the store's serialized ready entries take. */
    synchronized long spilledBytes() {
        return store.spilledBytes();
    }

    long clear() {
        long n;
        synchronized (this) {
            applyIncomingLocked();
            n = store.clear();
            size.addAndGet((int) -n);
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
            enqueue(new MemoryDelivery(ReservedHeaders.replayOf(found), 1, now), now);
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
                enqueue(new MemoryDelivery(ReservedHeaders.replayOf(dl), 1, now), now);
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
        for (MemoryConsumer c : consumers) {
            c.closing = true;
        }
        drain();
    }

    String name() {
        return name;
    }

    // ---- records ---------------------------------------------------------------------------

    private record Waiter(MemoryDelivery entry, MonoSink<Void> sink) {
    }
}
