package io.rivulet.core.internal;

import io.rivulet.core.Message;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * Maps a stream of messages for publishing, handing the mapper the time to stamp on a message
 * without {@code createdAt}, with fewer clock reads than one per message.
 *
 * <p>A clock read is a system call on some virtual machines (about 150 ns, a quarter of an
 * in-memory hand-off), and a stream publish stamped every message. Here messages that the source
 * emits synchronously inside one {@code request} call, on the requesting thread, share one
 * reading, at most {@value #BURST} of them: they are one burst of an in-memory source, created
 * within the same few microseconds. Any other message (an asynchronous source, a message past the
 * burst's share) gets a fresh reading. A message with its own {@code createdAt} reads no clock.
 *
 * <p>Hand-written rather than {@code map}, because {@code map} cannot see requests.
 *
 * @param <T> the payload type
 * @param <R> what the mapper returns
 */
final class BurstClock<T, R> extends Flux<R> {

    /** The most messages of one burst that share a clock reading. */
    static final int BURST = 16;

    private final Publisher<Message<T>> source;
    private final Supplier<Instant> clock;
    private final BiFunction<Message<T>, Instant, R> mapper;

    /**
     * Maps {@code source} with {@code mapper}, which gets each message and the time to stamp on it
     * ({@code null} when the message has its own {@code createdAt}).
     */
    BurstClock(Publisher<Message<T>> source, Supplier<Instant> clock, BiFunction<Message<T>, Instant, R> mapper) {
        this.source = Objects.requireNonNull(source, "source");
        this.clock = clock;
        this.mapper = mapper;
    }

    @Override
    public void subscribe(CoreSubscriber<? super R> actual) {
        Flux.from(source).subscribe(new Stamping<>(actual, clock, mapper));
    }

    private static final class Stamping<T, R> implements CoreSubscriber<Message<T>>, Subscription {

        private final CoreSubscriber<? super R> actual;
        private final Supplier<Instant> clock;
        private final BiFunction<Message<T>, Instant, R> mapper;
        private Subscription upstream;
        private boolean done;
        // The thread inside request() and that call's number: a burst.
        private volatile Thread requester;
        private volatile long burst;
        private static final AtomicLongFieldUpdater<Stamping> BURSTS =
                AtomicLongFieldUpdater.newUpdater(Stamping.class, "burst");
        // Touched by onNext only (serial): the reading of burst stampBurst and how many may share it.
        private Instant stamp;
        private long stampBurst;
        private int stampLeft;

        Stamping(CoreSubscriber<? super R> actual, Supplier<Instant> clock, BiFunction<Message<T>, Instant, R> mapper) {
            this.actual = actual;
            this.clock = clock;
            this.mapper = mapper;
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
            }
        }

        @Override
        public void request(long n) {
            Thread previous = requester;
            BURSTS.incrementAndGet(this);
            requester = Thread.currentThread();
            try {
                upstream.request(n);
            } finally {
                // A nested request (from a downstream onNext) ends its own burst, not the outer one:
                // the outer one's later messages read the clock again, which is merely slower.
                requester = previous;
                BURSTS.incrementAndGet(this);
            }
        }

        @Override
        public void cancel() {
            upstream.cancel();
        }

        private Instant now() {
            long b = burst;
            if (requester == Thread.currentThread()) {
                if (stamp != null && stampBurst == b && stampLeft > 0) {
                    stampLeft--;
                    return stamp;
                }
                stamp = clock.get();
                stampBurst = b;
                stampLeft = BURST - 1;
                return stamp;
            }
            return clock.get();
        }

        @Override
        public void onNext(Message<T> m) {
            if (done) {
                Operators.onNextDropped(m, actual.currentContext());
                return;
            }
            R r;
            try {
                Objects.requireNonNull(m, "message");
                r = Objects.requireNonNull(mapper.apply(m, m.createdAt() != null ? null : now()),
                        "the mapper returned null");
            } catch (Throwable e) {
                onError(Operators.onOperatorError(upstream, e, m, actual.currentContext()));
                return;
            }
            actual.onNext(r);
        }

        @Override
        public void onError(Throwable t) {
            if (done) {
                Operators.onErrorDropped(t, actual.currentContext());
                return;
            }
            done = true;
            actual.onError(t);
        }

        @Override
        public void onComplete() {
            if (done) {
                return;
            }
            done = true;
            actual.onComplete();
        }
    }
}
