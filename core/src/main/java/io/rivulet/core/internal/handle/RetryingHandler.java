package io.rivulet.core.internal.handle;

import io.rivulet.core.Delivery;
import io.rivulet.core.Handler;
import io.rivulet.core.Message;
import io.rivulet.core.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * Handles one delivery to its end: runs the handler, retries in-process while the policy allows
 * short waits, and settles the delivery exactly once (ack, durable redelivery or dead-letter sink).
 */
final class RetryingHandler<T> {

    private final Handler<T> handler;
    private final HandleSettings<T> settings;
    private final Settler<T> settler;

    RetryingHandler(Handler<T> handler, HandleSettings<T> settings) {
        this.handler = handler;
        this.settings = settings;
        this.settler = new Settler<>(settings);
    }

    /** Handles {@code d}; emits its outcome once settled. Never signals an error. */
    Mono<Outcome<T>> handle(Delivery<T> d) {
        return attempt(d, Math.max(1, d.message().attempt()));
    }

    private Mono<Outcome<T>> attempt(Delivery<T> d, int attempt) {
        Message<T> m = d.message().withAttempt(attempt);
        Duration timeout = settings.timeoutFor(m);
        Supplier<String> what = timeout == null ? null
                : () -> "Handler of message " + m.id() + " of '" + m.topic() + "' (attempt " + attempt + ")";
        return Attempt.run(() -> handler.handle(m), Boolean.TRUE, timeout, settings, what, List.of(d))
                .flatMap(r -> {
                    if (!(r instanceof Attempt.Failure f)) {
                        return settler.ack(d, attempt);
                    }
                    RetryDecision decision = RetryDecision.after(settings, m, attempt, f.error());
                    if (decision.kind() == RetryDecision.Kind.RETRY_IN_PROCESS) {
                        return Mono.delay(decision.backoff(), settings.scheduler())
                                .then(Mono.defer(() -> attempt(d, attempt + 1)));
                    }
                    return settler.afterFailure(d, decision, attempt, f.error());
                });
    }
}
