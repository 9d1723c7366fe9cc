package io.rivulet.core.internal.handle;

import io.rivulet.core.DeadLetterSink;
import io.rivulet.core.ErrorClassifier;
import io.rivulet.core.HandleOptions;
import io.rivulet.core.Message;
import io.rivulet.core.RetryPolicy;
import java.time.Duration;
import reactor.core.scheduler.Scheduler;

/**
 * What every handle operator needs to run attempts and settle them, taken from
 * {@link HandleOptions} (those of a batch included).
 */
record HandleSettings<T>(Duration timeout, RetryPolicy policy, ErrorClassifier classifier,
                         DeadLetterSink<T> sink, Scheduler scheduler) {

    @SuppressWarnings("unchecked") // the sink's payload type is the caller's promise, documented on the options
    static <T> HandleSettings<T> of(HandleOptions o) {
        return new HandleSettings<>(o.timeout(), o.retryPolicy(), o.errorClassifier(),
                (DeadLetterSink<T>) o.deadLetterSink(), o.scheduler());
    }

    /** The timeout of one attempt for {@code message}: its own, else the options', else none. */
    Duration timeoutFor(Message<?> message) {
        return message.timeout() != null ? message.timeout() : timeout;
    }

    long now() {
        return scheduler.now(java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
