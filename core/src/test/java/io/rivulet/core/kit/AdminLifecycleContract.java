package io.rivulet.core.kit;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.Broker;
import io.rivulet.core.BrokerClosedException;
import io.rivulet.core.BrokerOptions;
import io.rivulet.core.Codec;
import io.rivulet.core.CodecException;
import io.rivulet.core.DeadLetter;
import io.rivulet.core.Delivery;
import io.rivulet.core.Message;
import io.rivulet.core.MessageTooLargeException;
import io.rivulet.core.Queue;
import io.rivulet.core.QueueStats;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Stats, admin, poison payloads and the broker's lifecycle. */
public interface AdminLifecycleContract extends KitSupport {

    @Test
    default void statsAccountForEveryState(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 6);
        queue.publishDelayed(KitSupport.job(99), Duration.ofHours(1)).block(fixture().patience());
        List<Delivery<Job>> four = queue.consume().take(4).collectList().block(fixture().patience());
        KitSupport.settle(four.get(0).ack());
        KitSupport.settle(four.get(1).deadLetter("bad"));
        KitSupport.settle(four.get(2).nack(Duration.ofHours(1)));
        // four.get(3) stays in flight

        QueueStats s = awaitStats(queue, st -> st.completed() == 1 && st.failed() == 1 && st.retried() == 1);
        assertThat(s.topic()).isEqualTo(queue.topic());
        assertThat(s.ready()).isEqualTo(2);
        assertThat(s.inFlight()).isEqualTo(1);
        assertThat(s.delayed()).isEqualTo(2);
        assertThat(s.dead()).isEqualTo(1);
        assertThat(s.pending()).isEqualTo(5);
        KitSupport.settle(four.get(3).ack());
    }

    @Test
    default void adminListsEveryQueue(TestInfo info) {
        Queue<Job> a = jobs(info);
        Queue<Job> b = jobs(info);
        publishJobs(a, 0, 1);
        publishJobs(b, 0, 1);

        assertThat(broker().admin().queues().collectList().block(fixture().patience()))
                .contains(a.topic(), b.topic());
        assertThat(broker().admin().stats().filter(s -> s.topic().equals(a.topic()) || s.topic().equals(b.topic()))
                .collectList().block(fixture().patience())).hasSize(2);
    }

    @Test
    default void unknownQueueHasZeroStats(TestInfo info) {
        QueueStats s = broker().admin().stats(topic(info)).block(fixture().patience());
        assertThat(s.pending() + s.dead() + s.completed() + s.failed() + s.retried()).isZero();
    }

    @Test
    default void clearRemovesReadyAndDelayedMessages(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 3);
        queue.publishDelayed(KitSupport.job(3), Duration.ofHours(1)).block(fixture().patience());
        awaitStats(queue, s -> s.ready() == 3 && s.delayed() == 1);

        StepVerifier.create(queue.clear()).expectNext(4L).expectComplete().verify(fixture().patience());
        assertThat(awaitStats(queue, s -> s.pending() == 0).pending()).isZero();
        publishJobs(queue, 10, 11);
        assertThat(numbers(consumeAndAck(queue, 1))).containsExactly(10);
    }

    @Test
    default void undecodablePayloadIsDeadLetteredAsPoisonAndConsumingGoesOn(TestInfo info) {
        String topic = topic(info);
        Queue<String> raw = broker().queue(topic, TEXT);
        raw.publish("{not json").block(fixture().patience());
        Queue<Job> queue = broker().queue(topic, Job.class);
        publishJobs(queue, 1, 2);

        assertThat(numbers(consumeAndAck(queue, 1))).containsExactly(1);
        DeadLetter poison = queue.deadLetters().list().blockFirst(fixture().patience());
        assertThat(poison.reason()).isEqualTo("poison");
        assertThat(poison.errorClass()).isEqualTo(CodecException.class.getName());
        assertThat(poison.errorMessage()).contains(Job.class.getName());
        assertThat(poison.payloadText()).isEqualTo("{not json");
        assertThat(awaitStats(queue, s -> s.failed() == 1 && s.completed() == 1).pending()).isZero();
    }

    @Test
    default void payloadOfTheWrongShapeIsPoison(TestInfo info) {
        String topic = topic(info);
        broker().queue(topic, TEXT).publish("{\"name\":\"x\",\"n\":1,\"surprise\":true}").block(fixture().patience());
        Queue<Job> queue = broker().queue(topic, Job.class);

        AtomicInteger delivered = new AtomicInteger();
        // Consume until the poison is dead-lettered: a remote backend needs a moment to join and fetch.
        Disposable consumer = queue.consume().subscribe(d -> delivered.incrementAndGet());
        try {
            awaitStats(queue, s -> s.dead() == 1);
        } finally {
            consumer.dispose();
        }
        assertThat(delivered).as("the undecodable message never reaches the consumer").hasValue(0);
        assertThat(queue.deadLetters().list().blockFirst(fixture().patience()).reason()).isEqualTo("poison");
    }

    @Test
    default void unencodablePayloadFailsThePublishClearly(TestInfo info) {
        Codec<String> refusing = new Codec<>() {
            @Override
            public byte[] encode(String payload) {
                throw new IllegalStateException("cannot encode " + payload.length() + " chars");
            }

            @Override
            public String decode(byte[] bytes) {
                return new String(bytes);
            }
        };
        Queue<String> queue = broker().queue(topic(info), refusing);

        StepVerifier.create(queue.publish("hello"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(CodecException.class)
                        .hasMessageContaining(queue.topic()))
                .verify(fixture().patience());
    }

    @Test
    default void oversizeMessageIsRefusedClearlyAndNothingIsStored(TestInfo info) {
        Queue<String> queue = broker().queue(topic(info), TEXT);
        String big = "x".repeat(BrokerOptions.DEFAULT_MAX_MESSAGE_BYTES + 1);

        StepVerifier.create(queue.publish(Message.builder(big).id("too-big").build()))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(MessageTooLargeException.class)
                        .hasMessageContaining("too-big")
                        .hasMessageContaining(queue.topic())
                        .hasMessageContaining("BrokerOptions.maxMessageBytes"))
                .verify(fixture().patience());
        StepVerifier.create(queue.publishAll(Flux.just(Message.of("small"), Message.of(big), Message.of("never"))))
                .expectNextCount(1)
                .expectError(MessageTooLargeException.class)
                .verify(fixture().patience());
        awaitStats(queue, s -> s.ready() == 1);
        assertThat(queue.stats().block(fixture().patience()).pending()).isEqualTo(1);
    }

    @Test
    default void publishIntoAClosedBrokerFailsClearly(TestInfo info) {
        Broker other = fixture().newBroker();
        Queue<Job> queue = other.queue(topic(info), Job.class);
        other.close().block(fixture().patience());

        assertThat(other.isClosed()).isTrue();
        StepVerifier.create(queue.publish(KitSupport.job(1)))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(BrokerClosedException.class)
                        .hasMessageContaining("closed").hasMessageContaining(queue.topic()))
                .verify(fixture().patience());
        StepVerifier.create(queue.consume())
                .expectError(BrokerClosedException.class)
                .verify(fixture().patience());
    }

    @Test
    default void closingTheBrokerCompletesItsConsumers(TestInfo info) {
        Broker other = fixture().newBroker();
        Queue<Job> queue = other.queue(topic(info), Job.class);

        StepVerifier.create(queue.consume())
                .expectSubscription()
                .then(() -> other.close().block(fixture().patience()))
                .expectComplete()
                .verify(fixture().patience());
        // Closing again is harmless.
        StepVerifier.create(other.close()).expectComplete().verify(fixture().patience());
    }
}
