package io.rivulet.core.internal.handle;

import io.rivulet.core.BatchHandler;
import io.rivulet.core.BatchResult;
import io.rivulet.core.Delivery;
import io.rivulet.core.Message;
import io.rivulet.core.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Handles one batch to its end: one handler call per round; messages that succeed are acked, those
 * that failed for good are dead-lettered, those due a durable retry are redelivered, and those due a
 * short retry go, together, into the next round after the longest of their waits.
 */
final class BatchRunner<T> {

    private final BatchHandler<T> handler;
    private final HandleSettings<T> settings;
    private final Settler<T> settler;

    BatchRunner(BatchHandler<T> handler, HandleSettings<T> settings) {
        this.handler = handler;
        this.settings = settings;
        this.settler = new Settler<>(settings);
    }

    /** Handles {@code batch}; emits one outcome per delivery as each is settled. Never signals an error. */
    Flux<Outcome<T>> handle(List<Delivery<T>> batch) {
        List<Pending<T>> pending = new ArrayList<>(batch.size());
        for (Delivery<T> d : batch) {
            pending.add(new Pending<>(d, Math.max(1, d.message().attempt())));
        }
        return round(pending);
    }

    private Flux<Outcome<T>> round(List<Pending<T>> pending) {
        if (pending.isEmpty()) {
            return Flux.empty();
        }
        List<Message<T>> messages = pending.stream().map(Pending::message).toList();
        List<Delivery<T>> deliveries = pending.stream().map(Pending::delivery).toList();
        Supplier<String> what = () -> "Batch handler of " + messages.size() + " messages of '"
                + messages.get(0).topic() + "'";
        return Attempt.run(() -> handler.handle(messages), BatchResult.allOk(), settings.timeout(), settings, what,
                        deliveries)
                .flatMapMany(r -> settle(pending, r));
    }

    private Flux<Outcome<T>> settle(List<Pending<T>> pending, Object result) {
        List<Mono<Outcome<T>>> settlements = new ArrayList<>(pending.size());
        List<Pending<T>> again = new ArrayList<>();
        Duration wait = Duration.ZERO;
        for (Pending<T> p : pending) {
            Throwable error = result instanceof Attempt.Failure f ? f.error()
                    : ((BatchResult) result).errorOf(p.message().id());
            if (error == null) {
                settlements.add(settler.ack(p.delivery(), p.attempt()));
                continue;
            }
            RetryDecision decision = RetryDecision.after(settings, p.message(), p.attempt(), error);
            if (decision.kind() == RetryDecision.Kind.RETRY_IN_PROCESS) {
                again.add(new Pending<>(p.delivery(), p.attempt() + 1));
                wait = decision.backoff().compareTo(wait) > 0 ? decision.backoff() : wait;
            } else {
                settlements.add(settler.afterFailure(p.delivery(), decision, p.attempt(), error));
            }
        }
        Flux<Outcome<T>> settled = Flux.merge(settlements);
        if (again.isEmpty()) {
            return settled;
        }
        return settled.concatWith(Mono.delay(wait, settings.scheduler()).thenMany(Flux.defer(() -> round(again))));
    }

    /** A delivery and the attempt it is on. */
    private record Pending<T>(Delivery<T> delivery, int attempt) {
        Message<T> message() {
            return delivery.message().withAttempt(attempt);
        }
    }
}
