package io.rivulet.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.Message;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class InOrderPublishesTest {

    private final List<String> stored = new CopyOnWriteArrayList<>();

    private static Message<byte[]> message(String id) {
        return Message.builder(id.getBytes(StandardCharsets.UTF_8)).id(id).topic("t").build();
    }

    // Stores after a delay that shrinks with the index, so later messages finish first.
    private Function<Message<byte[]>, Mono<Void>> slowFirst() {
        return m -> Mono.delay(Duration.ofMillis(100 - 10L * Integer.parseInt(m.id())))
                .doOnNext(x -> stored.add(m.id()))
                .then();
    }

    @Test
    void sourceErrorEndsTheStreamOnlyAfterEveryEarlierMessageIsStored() {
        Flux<Message<byte[]>> source = Flux.range(0, 3).map(i -> message(String.valueOf(i)))
                .concatWith(Flux.error(new IllegalArgumentException("message 3 cannot be encoded")));

        StepVerifier.withVirtualTime(() -> InOrderPublishes.publish(source, slowFirst(), 16).map(Message::id))
                .thenAwait(Duration.ofSeconds(1))
                .expectNext("0", "1", "2")
                .expectErrorMessage("message 3 cannot be encoded")
                .verify(Duration.ofSeconds(5));
        assertThat(stored).containsExactlyInAnyOrder("0", "1", "2");
    }

    @Test
    void failedPublishEndsTheStreamAfterTheResultsBeforeIt() {
        Function<Message<byte[]>, Mono<Void>> publish = m -> m.id().equals("2")
                ? Mono.error(new IllegalStateException("broker refused message 2"))
                : slowFirst().apply(m);
        Flux<Message<byte[]>> source = Flux.range(0, 5).map(i -> message(String.valueOf(i)));

        StepVerifier.withVirtualTime(() -> InOrderPublishes.publish(source, publish, 16).map(Message::id))
                .thenAwait(Duration.ofSeconds(1))
                .expectNext("0", "1")
                .expectErrorMessage("broker refused message 2")
                .verify(Duration.ofSeconds(5));
        assertThat(stored).contains("0", "1").doesNotContain("2");
    }

    @Test
    void keepsAtMostTheWindowInFlight() {
        AtomicInteger started = new AtomicInteger();
        Function<Message<byte[]>, Mono<Void>> never = m -> Mono.<Void>never().doOnSubscribe(s -> started.incrementAndGet());
        Flux<Message<byte[]>> source = Flux.range(0, 100).map(i -> message(String.valueOf(i)));

        StepVerifier.create(InOrderPublishes.publish(source, never, 4))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(50))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(started).hasValue(4);
    }

    @Test
    void emitsEveryMessageInInputOrderAndCompletes() {
        Flux<Message<byte[]>> source = Flux.range(0, 10).map(i -> message(String.valueOf(i)));

        StepVerifier.withVirtualTime(() -> InOrderPublishes.publish(source, slowFirst(), 16).map(Message::id))
                .thenAwait(Duration.ofSeconds(1))
                .expectNext("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")
                .verifyComplete();
        assertThat(stored).containsExactly("9", "8", "7", "6", "5", "4", "3", "2", "1", "0");
    }
}
