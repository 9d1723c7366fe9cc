package io.rivulet.core.spi;

import io.rivulet.core.Message;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Pipelines single publishes and emits their messages in input order, ending the stream with an
 * error only after every earlier message was stored: the behaviour of {@link Backend#publishAll}'s
 * default, for backends without a batch path of their own.
 *
 * <p>A plain {@code flatMapSequential} would cancel the publishes still in flight when the source
 * fails (a message that cannot be encoded) or one publish fails, so messages before the failure
 * could be stored without their result ever being emitted. Here both kinds of error travel as
 * values in the stream's order instead.
 */
final class InOrderPublishes {

    private InOrderPublishes() {
    }

    /**
     * Publishes {@code messages} with {@code publish}, at most {@code window} at once; emits each
     * message once stored, in order, and ends with the first error (of the source or of a publish)
     * after the results of every message before it.
     */
    static Flux<Message<byte[]>> publish(Flux<Message<byte[]>> messages,
                                         Function<Message<byte[]>, Mono<Void>> publish, int window) {
        return messages.materialize()
                .flatMapSequential(signal -> {
                    if (signal.isOnNext()) {
                        Message<byte[]> m = signal.get();
                        return publish.apply(m).thenReturn(new Stored(m, null))
                                .onErrorResume(e -> Mono.just(new Stored(m, e)));
                    }
                    return signal.isOnError() ? Mono.just(new Stored(null, signal.getThrowable())) : Mono.empty();
                }, window, 1)
                .handle((stored, sink) -> {
                    if (stored.error() != null) {
                        sink.error(stored.error());
                    } else {
                        sink.next(stored.message());
                    }
                });
    }

    /** One publish's outcome: the message, or the error that ends the stream. */
    private record Stored(Message<byte[]> message, Throwable error) {
    }
}
