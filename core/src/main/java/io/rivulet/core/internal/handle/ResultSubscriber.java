package io.rivulet.core.internal.handle;

import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;

/**
 * Subscribes to a Mono with unbounded demand and hands downstream one result of its own, once: the
 * common part of {@link Attempt}'s and {@link Settler}'s hand-written subscribers. Cancelling
 * cancels the Mono.
 */
abstract class ResultSubscriber<I, O> extends Operators.MonoSubscriber<I, O> {

    private Subscription upstream;
    private boolean done;

    ResultSubscriber(CoreSubscriber<? super O> actual) {
        super(actual);
    }

    @Override
    public final void onSubscribe(Subscription s) {
        if (Operators.validate(upstream, s)) {
            upstream = s;
            actual.onSubscribe(this);
            s.request(Long.MAX_VALUE);
        }
    }

    /** Marks the result as given; returns false if it was given before (a later signal is then dropped). */
    final boolean finish() {
        if (done) {
            return false;
        }
        done = true;
        return true;
    }

    @Override
    public final void cancel() {
        super.cancel();
        // Null only when the Mono could not even be created, and then nothing runs.
        if (upstream != null) {
            upstream.cancel();
        }
    }
}
