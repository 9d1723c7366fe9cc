package io.rivulet.kafka.internal;

import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BiFunction;
import org.apache.kafka.clients.producer.Producer;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.Context;

/**
 * The pipeline of {@link RecordSender#sendAll}: sends each upstream record as it arrives, keeps
 * up to {@code window} of them in a ring until they are acknowledged and emitted, and emits values
 * in input order from a worker thread. Hand-written rather than built from operators (a
 * {@code flatMapSequential} of one {@code Mono} per record, plus {@code publishOn} twice to keep
 * sends and emissions off Kafka's network thread) because that per-record machinery cost about as
 * much CPU as the producer itself (issue #4); it is covered by {@code RecordSenderTest} and the
 * conformance kit's publishAll tests.
 *
 * <p>Threading: upstream signals are serial (Reactive Streams); Kafka's callbacks mark a slot and
 * schedule {@link #drain}; everything downstream happens in the drain, on the results worker. The
 * drain asks upstream for one record per result emitted through a second worker, so that building
 * and sending the next records runs beside emitting results rather than after it (on 2 cores with
 * the broker beside it, doing both on one thread left produce at a median 84 % of raw Kafka,
 * splitting them 113 %: benchmarks/results/kafka.md).
 */
final class OrderedSends<T> implements CoreSubscriber<RecordSender.Outgoing<T>>, Subscription {

    private static final Object ACKED = new Object();

    private final Producer<byte[], byte[]> producer;
    private final Scheduler.Worker worker;
    // Where upstream is asked for more (and so where records are built and sent), apart from the
    // thread that emits results.
    private final Scheduler.Worker sendWorker;
    private final AtomicLong toRequest = new AtomicLong();
    private final Runnable requestTask = this::requestMore;
    private final CoreSubscriber<? super T> actual;
    private final int mask;
    private final BiFunction<Throwable, T, ? extends Throwable> failure;
    private final Object[] values;
    // Per slot: null while unacknowledged, ACKED, or Kafka's error.
    private final AtomicReferenceArray<Object> outcomes;
    private final AtomicLong requested = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private final Runnable drainTask = this::drainLoop;
    private Subscription upstream;
    // Written by the upstream's (serial) onNext only; read by the drain.
    private volatile long sent;
    // Drain-only.
    private long emitted;
    private volatile boolean upstreamDone;
    private volatile Throwable upstreamError;
    private volatile boolean cancelled;
    private volatile boolean terminated;

    OrderedSends(Producer<byte[], byte[]> producer, Scheduler.Worker worker, Scheduler.Worker sendWorker,
                 CoreSubscriber<? super T> actual, int window, BiFunction<Throwable, T, ? extends Throwable> failure) {
        if (Integer.bitCount(window) != 1) {
            throw new IllegalArgumentException("window must be a power of two, was " + window);
        }
        this.producer = producer;
        this.worker = worker;
        this.sendWorker = sendWorker;
        this.actual = actual;
        this.mask = window - 1;
        this.failure = failure;
        this.values = new Object[window];
        this.outcomes = new AtomicReferenceArray<>(window);
    }

    @Override
    public Context currentContext() {
        return actual.currentContext();
    }

    @Override
    public void onSubscribe(Subscription s) {
        if (Operators.validate(upstream, s)) {
            upstream = s;
            actual.onSubscribe(this);
            s.request(mask + 1L);
        }
    }

    @Override
    public void onNext(RecordSender.Outgoing<T> out) {
        if (upstreamDone || cancelled) {
            Operators.onNextDropped(out, actual.currentContext());
            return;
        }
        long seq = sent;
        int slot = (int) (seq & mask);
        values[slot] = out.value();
        sent = seq + 1;
        try {
            producer.send(out.record(), (metadata, e) -> {
                outcomes.set(slot, e == null ? ACKED : e);
                drain();
            });
        } catch (RuntimeException e) {
            outcomes.set(slot, e);
            drain();
        }
    }

    @Override
    public void onError(Throwable t) {
        if (upstreamDone) {
            Operators.onErrorDropped(t, actual.currentContext());
            return;
        }
        upstreamError = t;
        upstreamDone = true;
        drain();
    }

    @Override
    public void onComplete() {
        if (upstreamDone) {
            return;
        }
        upstreamDone = true;
        drain();
    }

    @Override
    public void request(long n) {
        if (Operators.validate(n)) {
            requested.getAndUpdate(r -> Operators.addCap(r, n));
            drain();
        }
    }

    @Override
    public void cancel() {
        if (!cancelled) {
            cancelled = true;
            upstream.cancel();
            drain();
        }
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        try {
            worker.schedule(drainTask);
        } catch (RejectedExecutionException e) {
            // The sender is closing: nothing else will pass these results on.
            drainLoop();
        }
    }

    private void drainLoop() {
        int missed = 1;
        do {
            if (!terminated) {
                long r = requested.get();
                long e = 0;
                while (!cancelled) {
                    if (emitted == sent) {
                        if (upstreamDone) {
                            Throwable error = upstreamError;
                            terminate();
                            if (error != null) {
                                actual.onError(error);
                            } else {
                                actual.onComplete();
                            }
                        }
                        break;
                    }
                    int slot = (int) (emitted & mask);
                    Object outcome = outcomes.get(slot);
                    if (outcome == null || (outcome == ACKED && e == r)) {
                        break;
                    }
                    @SuppressWarnings("unchecked")
                    T value = (T) values[slot];
                    values[slot] = null;
                    outcomes.lazySet(slot, null);
                    emitted++;
                    if (outcome != ACKED) {
                        upstream.cancel();
                        terminate();
                        actual.onError(failure.apply((Throwable) outcome, value));
                        break;
                    }
                    actual.onNext(value);
                    e++;
                }
                if (cancelled && !terminated) {
                    terminate();
                }
                if (e != 0 && !terminated) {
                    if (r != Long.MAX_VALUE) {
                        requested.addAndGet(-e);
                    }
                    if (toRequest.getAndAdd(e) == 0) {
                        try {
                            sendWorker.schedule(requestTask);
                        } catch (RejectedExecutionException rejected) {
                            requestMore();
                        }
                    }
                }
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    // Drain-only. Later callbacks and requests find the worker disposed and do nothing.
    private void terminate() {
        terminated = true;
        cancelled = true;
        Arrays.fill(values, null);
        worker.dispose();
        sendWorker.dispose();
    }

    private void requestMore() {
        long n = toRequest.getAndSet(0);
        if (n > 0 && !cancelled) {
            upstream.request(n);
        }
    }
}
