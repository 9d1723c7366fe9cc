package io.rivulet.core.internal.handle;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.Delivery;
import io.rivulet.core.Handle;
import io.rivulet.core.HandleOptions;
import io.rivulet.core.Message;
import io.rivulet.core.Outcome;
import io.rivulet.core.PermanentException;
import io.rivulet.core.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The operators settle deliveries that are not the broker's own through the plain interface. */
class PlainDeliveryTest {

    /** A delivery recording how it was settled. */
    static class Recorded implements Delivery<String> {
        final Message<String> message;
        final List<String> settlements = new CopyOnWriteArrayList<>();

        Recorded(String id, int attempt) {
            this.message = Message.builder("p").id(id).attempt(attempt).build();
        }

        public Message<String> message() { return message; }
        public Mono<Void> ack() { return Mono.fromRunnable(() -> settlements.add("ack")); }
        public Mono<Void> nack(Duration delay) { return Mono.fromRunnable(() -> settlements.add("nack " + delay)); }
        public Mono<Void> deadLetter(String reason, Throwable error) {
            return Mono.fromRunnable(() -> settlements.add("dead " + reason));
        }
        public boolean isSettled() { return !settlements.isEmpty(); }
    }

    @Test
    void durableRetryNacksAndExhaustionDeadLettersThroughTheInterface() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        Recorded fresh = new Recorded("a", 1);
        Recorded last = new Recorded("b", 3);
        Recorded fine = new Recorded("c", 1);
        Recorded broken = new Recorded("d", 1);
        HandleOptions options = HandleOptions.builder().scheduler(vts).concurrency(1)
                .retryPolicy(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofSeconds(5))
                        .jitter(0).inProcessLimit(Duration.ofSeconds(1)).build()).build();

        StepVerifier.create(Flux.<Delivery<String>>just(fresh, last, fine, broken).transform(Handle.concurrently(
                        m -> switch (m.id()) {
                            case "c" -> Mono.empty();
                            case "d" -> Mono.error(new PermanentException("no"));
                            default -> Mono.error(new IllegalStateException("again"));
                        }, options)).map(Outcome::status))
                .expectNext(Outcome.Status.RETRIED, Outcome.Status.DEAD_LETTERED, Outcome.Status.ACKED,
                        Outcome.Status.DEAD_LETTERED)
                .expectComplete()
                .verify(Duration.ofSeconds(5));

        assertThat(fresh.settlements).containsExactly("nack PT5S");
        assertThat(last.settlements).containsExactly("dead max attempts exhausted");
        assertThat(fine.settlements).containsExactly("ack");
        assertThat(broken.settlements).containsExactly("dead permanent failure");
        vts.dispose();
    }

    @Test
    void failingSettlementIsReportedUnsettledWithoutEndingTheStream() {
        Delivery<String> closed = new Recorded("x", 1) {
            @Override
            public Mono<Void> ack() {
                return Mono.error(new IllegalStateException("broker closed"));
            }
        };

        StepVerifier.create(Flux.just(closed).transform(Handle.concurrently(m -> Mono.empty(),
                        HandleOptions.defaults())))
                .assertNext(o -> {
                    assertThat(o.status()).isEqualTo(Outcome.Status.UNSETTLED);
                    assertThat(o.error()).hasMessage("broker closed");
                })
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }
}
