package io.rivulet.kafka.internal;

import io.rivulet.core.Message;
import io.rivulet.core.spi.BackendDelivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Schedulers;
import reactor.kafka.receiver.KafkaReceiver;
import reactor.kafka.receiver.ReceiverOffset;
import reactor.kafka.receiver.ReceiverOptions;
import reactor.kafka.receiver.ReceiverPartition;
import reactor.kafka.receiver.ReceiverRecord;

/**
 * One Kafka group member for one topic, shared by all consumers of that topic in a broker. It
 * fetches up to {@code prefetch} records ahead (a whole poll at a time, so that priorities order
 * what arrived together), hands them out to its consumers by demand and each consumer's own
 * prefetch, and commits per partition only the offset below which every record is settled
 * ({@link OffsetTracker}). It lives until the broker closes, so deliveries stay settleable after
 * their consumer cancelled, and records a consumer took but never received go to the next one.
 *
 * <p>Threading: Reactor Kafka's event loop calls the rebalance listeners and emits polls; consumers
 * request and settle from any thread. State is guarded by this object's monitor; emission to
 * consumers is serialized by a work-in-progress counter and happens outside the monitor.
 */
final class TopicConsumer {

    /** How a settlement counts. */
    enum Outcome { COMPLETED, RETRIED, FAILED }

    /** A fetched record waiting for a consumer, with the attempt its next delivery carries. */
    record Pending(ReceiverRecord<byte[], byte[]> record, Message<byte[]> message, int attempt, long seq,
                   OffsetTracker<ReceiverOffset> tracker) {
        TopicPartition partition() {
            return record.receiverOffset().topicPartition();
        }

        long offset() {
            return record.offset();
        }
    }

    /**
     * The visibility timer of the deliveries handed out together in one pass: one timer for all of
     * them instead of one each (a delivery's slot is cleared when it settles, so the timer holds
     * only what is unsettled, and it is cancelled when nothing is). Guarded by the monitor.
     */
    static final class Expiry {
        final KafkaDelivery[] deliveries;
        int unsettled;
        Disposable timer;

        Expiry(KafkaDelivery[] deliveries) {
            this.deliveries = deliveries;
            this.unsettled = deliveries.length;
        }
    }

    /** One consumer of the topic. */
    static final class Sub {
        final FluxSink<BackendDelivery> sink;
        final int prefetch;
        int unsettled;
        // Taken for it in the current drain pass, not emitted yet.
        long taking;

        Sub(FluxSink<BackendDelivery> sink, int prefetch) {
            this.sink = sink;
            this.prefetch = prefetch;
        }
    }

    private static final Comparator<Pending> ORDER = Comparator
            .comparingInt((Pending p) -> -p.message().priority())
            .thenComparingLong(Pending::seq);

    private final KafkaBackend backend;
    private final String topic;
    private final String group;
    private final int capacity;
    private final PriorityQueue<Pending> ready = new PriorityQueue<>(ORDER);
    private final Map<TopicPartition, OffsetTracker<ReceiverOffset>> owned = new HashMap<>();
    private final Set<KafkaDelivery> inFlight = new java.util.HashSet<>();
    private final Map<TopicPartition, Map<Long, KafkaDelivery>> orphans = new HashMap<>();
    // Offsets this member settled after their partition was revoked: if the partition comes back,
    // they are committed instead of handed out again.
    private final Map<TopicPartition, Set<Long>> settledOrphans = new HashMap<>();
    private final List<Sub> subs = new ArrayList<>();
    private final AtomicInteger wip = new AtomicInteger();
    private final Fetcher fetcher = new Fetcher();
    private boolean fetchRequested;
    private boolean closed;
    private long seq;
    private int cursor;

    TopicConsumer(KafkaBackend backend, String topic) {
        this.backend = backend;
        this.topic = topic;
        this.group = backend.config().group(topic);
        this.capacity = backend.config().options().prefetch();
    }

    KafkaBackend backend() {
        return backend;
    }

    String topic() {
        return topic;
    }

    String group() {
        return group;
    }

    /** Joins the group and starts fetching. */
    void start() {
        ReceiverOptions<byte[], byte[]> options = ReceiverOptions.<byte[], byte[]>create(
                        backend.config().consumer(group))
                .subscription(List.of(topic))
                .commitInterval(Duration.ofMillis(100))
                .commitBatchSize(0)
                .closeTimeout(Duration.ofSeconds(5))
                // Never hold a rebalance for unsettled records: offsets only move past settled ones
                // anyway, and the partition's new owner gets what is unsettled.
                .maxDelayRebalance(Duration.ZERO)
                .addAssignListener(this::assigned)
                .addRevokeListener(this::revoked);
        KafkaReceiver.create(options).receiveBatch().subscribe(fetcher);
    }

    /** A new consumer of this topic. */
    Flux<BackendDelivery> consume(int prefetch) {
        return Flux.create(sink -> {
            Sub sub = new Sub(sink, prefetch);
            synchronized (this) {
                if (closed) {
                    sink.complete();
                    return;
                }
                subs.add(sub);
            }
            sink.onRequest(n -> drain());
            sink.onDispose(() -> {
                synchronized (this) {
                    subs.remove(sub);
                }
            });
            drain();
        }, FluxSink.OverflowStrategy.BUFFER);
    }

    private void assigned(Collection<ReceiverPartition> partitions) {
        synchronized (this) {
            for (ReceiverPartition p : partitions) {
                owned.putIfAbsent(p.topicPartition(), new OffsetTracker<>());
            }
        }
    }

    private void revoked(Collection<ReceiverPartition> partitions) {
        synchronized (this) {
            for (ReceiverPartition p : partitions) {
                TopicPartition tp = p.topicPartition();
                owned.remove(tp);
                // In flight here: if the partition comes back to this member, they are adopted
                // instead of handed out twice.
                Map<Long, KafkaDelivery> mine = new HashMap<>();
                for (KafkaDelivery d : inFlight) {
                    if (d.pending.partition().equals(tp)) {
                        mine.put(d.pending.offset(), d);
                    }
                }
                orphans.put(tp, mine);
                // Not handed out yet: the partition's new owner fetches them from the committed offset.
                ready.removeIf(pending -> pending.partition().equals(tp));
            }
        }
    }

    private void onPoll(List<ReceiverRecord<byte[], byte[]>> records) {
        synchronized (this) {
            fetchRequested = false;
            for (ReceiverRecord<byte[], byte[]> r : records) {
                TopicPartition tp = r.receiverOffset().topicPartition();
                OffsetTracker<ReceiverOffset> tracker = owned.get(tp);
                if (tracker == null) {
                    continue;
                }
                tracker.fetched(r.offset(), r.receiverOffset());
                Map<Long, KafkaDelivery> revokedHere = orphans.get(tp);
                KafkaDelivery orphan = revokedHere == null ? null : revokedHere.remove(r.offset());
                if (orphan != null && inFlight.contains(orphan)) {
                    Pending old = orphan.pending;
                    orphan.pending = new Pending(r, old.message(), old.attempt(), old.seq(), tracker);
                    continue;
                }
                Set<Long> settledHere = settledOrphans.get(tp);
                if (r.offset() < backend.clearedBefore(tp) || (settledHere != null && settledHere.remove(r.offset()))) {
                    commit(tracker.settle(r.offset()));
                    continue;
                }
                Message<byte[]> m = Envelope.message(topic, r);
                ready.add(new Pending(r, m, Envelope.delivered(r) + 1, seq++, tracker));
            }
        }
        drain();
    }

    private static void commit(ReceiverOffset newest) {
        if (newest != null) {
            newest.acknowledge();
        }
    }

    /** Whether {@code d} is still in flight (neither settled nor expired). */
    synchronized boolean isInFlight(KafkaDelivery d) {
        return inFlight.contains(d);
    }

    /** Settles {@code d}: its record no longer holds back its partition's committed offset. */
    void settle(KafkaDelivery d, Outcome outcome) {
        synchronized (this) {
            if (!take(d)) {
                return;
            }
            Pending p = d.pending;
            if (owned.get(p.partition()) == p.tracker()) {
                commit(p.tracker().settle(p.offset()));
            } else if (orphans.containsKey(p.partition())) {
                settledOrphans.computeIfAbsent(p.partition(), tp -> new java.util.HashSet<>()).add(p.offset());
            }
            forgetOrphan(d);
        }
        backend.counters(topic).count(outcome);
        drain();
    }

    /** Hands {@code d}'s record out again: unchanged (release) or as the next attempt (expired). */
    void release(KafkaDelivery d, boolean expired) {
        synchronized (this) {
            if (!take(d)) {
                return;
            }
            Pending p = d.pending;
            forgetOrphan(d);
            if (!closed && owned.get(p.partition()) == p.tracker()) {
                ready.add(expired ? new Pending(p.record(), p.message(), p.attempt() + 1, p.seq(), p.tracker()) : p);
            }
        }
        drain();
    }

    // Guarded by the monitor.
    private void forgetOrphan(KafkaDelivery d) {
        Map<Long, KafkaDelivery> m = orphans.get(d.pending.partition());
        if (m != null) {
            m.remove(d.pending.offset(), d);
        }
    }

    // Guarded by the monitor.
    private boolean take(KafkaDelivery d) {
        if (!inFlight.remove(d)) {
            return false;
        }
        Expiry expiry = d.expiry;
        if (expiry != null) {
            expiry.deliveries[d.slot] = null;
            if (--expiry.unsettled == 0 && expiry.timer != null) {
                expiry.timer.dispose();
            }
        }
        d.sub.unsettled--;
        return true;
    }

    /** Hands out again, as their next attempt, the deliveries of {@code expiry} that are still unsettled. */
    private void expire(Expiry expiry) {
        KafkaDelivery[] due;
        synchronized (this) {
            due = expiry.deliveries.clone();
        }
        for (KafkaDelivery d : due) {
            if (d != null) {
                release(d, true);
            }
        }
    }

    /** Drops what is fetched and not handed out (the topic was cleared); emits how many. */
    synchronized long dropReady() {
        long n = ready.size();
        for (Pending p : ready) {
            if (owned.get(p.partition()) == p.tracker()) {
                commit(p.tracker().settle(p.offset()));
            }
        }
        ready.clear();
        return n;
    }

    /** This member's view of a partition's progress, for stats. */
    record Progress(long committable, int settledAbove) {
    }

    /** Progress of the partitions this member owns. */
    synchronized Map<TopicPartition, Progress> progress() {
        Map<TopicPartition, Progress> out = new HashMap<>();
        owned.forEach((tp, t) -> out.put(tp, new Progress(t.committable(), t.settledAbove())));
        return out;
    }

    /** Deliveries handed out and not settled. */
    synchronized int inFlight() {
        return inFlight.size();
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            List<KafkaDelivery> out = new ArrayList<>();
            boolean fetchMore = false;
            synchronized (this) {
                if (!closed) {
                    int n = subs.size();
                    for (Sub s : subs) {
                        s.taking = 0;
                    }
                    boolean progress = true;
                    while (!ready.isEmpty() && progress && n > 0) {
                        progress = false;
                        for (int i = 0; i < n && !ready.isEmpty(); i++) {
                            Sub s = subs.get((cursor + i) % n);
                            if (s.unsettled < s.prefetch && s.sink.requestedFromDownstream() > s.taking) {
                                KafkaDelivery d = new KafkaDelivery(this, ready.poll(), s);
                                inFlight.add(d);
                                s.unsettled++;
                                s.taking++;
                                out.add(d);
                                progress = true;
                            }
                        }
                        cursor++;
                    }
                    if (!fetchRequested && ready.size() < capacity && fetcher.ready()) {
                        fetchRequested = true;
                        fetchMore = true;
                    }
                }
            }
            List<KafkaDelivery> live = new ArrayList<>(out.size());
            for (KafkaDelivery d : out) {
                if (d.sub.sink.isCancelled()) {
                    // Taken for a consumer that cancelled meanwhile: it never received it.
                    release(d, false);
                } else {
                    live.add(d);
                }
            }
            if (!live.isEmpty()) {
                Expiry expiry = new Expiry(live.toArray(new KafkaDelivery[0]));
                long vt = backend.config().options().visibilityTimeout().toMillis();
                synchronized (this) {
                    for (int i = 0; i < expiry.deliveries.length; i++) {
                        expiry.deliveries[i].expiry = expiry;
                        expiry.deliveries[i].slot = i;
                    }
                    // Expiry redelivers on a thread that may block, as a consumer's thread may.
                    expiry.timer = backend.scheduler().schedule(
                            () -> Schedulers.boundedElastic().schedule(() -> expire(expiry)), vt, TimeUnit.MILLISECONDS);
                }
                for (KafkaDelivery d : live) {
                    if (d.sub.sink.isCancelled()) {
                        // It cancelled while the ones before were emitted (e.g. it wanted just one).
                        release(d, false);
                    } else {
                        d.sub.sink.next(d);
                    }
                }
            }
            if (fetchMore) {
                fetcher.request(1);
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    /** Leaves the group and completes every consumer; deliveries no longer commit. */
    void close() {
        List<Sub> toComplete;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toComplete = new ArrayList<>(subs);
            subs.clear();
            ready.clear();
            inFlight.forEach(d -> {
                if (d.expiry != null && d.expiry.timer != null) {
                    d.expiry.timer.dispose();
                }
            });
        }
        fetcher.dispose();
        toComplete.forEach(s -> s.sink.complete());
    }

    private void failed(Throwable e) {
        List<Sub> toFail;
        synchronized (this) {
            closed = true;
            toFail = new ArrayList<>(subs);
            subs.clear();
        }
        RuntimeException error = backend.errors().translate(e, "consuming from '" + topic + "' as group '" + group + "'");
        backend.consumerFailed(this);
        toFail.forEach(s -> s.sink.error(error));
    }

    /** Subscribes to Reactor Kafka's polls, one poll at a time, only while the local buffer has room. */
    private final class Fetcher extends BaseSubscriber<Flux<ReceiverRecord<byte[], byte[]>>> {
        private volatile boolean subscribed;

        boolean ready() {
            return subscribed && !isDisposed();
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscribed = true;
            synchronized (TopicConsumer.this) {
                fetchRequested = true;
            }
            request(1);
        }

        @Override
        protected void hookOnNext(Flux<ReceiverRecord<byte[], byte[]>> poll) {
            poll.collectList().subscribe(TopicConsumer.this::onPoll, TopicConsumer.this::failed);
        }

        @Override
        protected void hookOnError(Throwable e) {
            failed(e);
        }
    }
}
