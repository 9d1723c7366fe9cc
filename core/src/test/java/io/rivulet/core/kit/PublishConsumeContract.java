package io.rivulet.core.kit;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.ConsumeOptions;
import io.rivulet.core.Delivery;
import io.rivulet.core.Message;
import io.rivulet.core.PublishResult;
import io.rivulet.core.Queue;
import io.rivulet.core.QueueStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Publishing and consuming: envelope, order, competing consumers, demand and prefetch. */
public interface PublishConsumeContract extends KitSupport {

    @Test
    default void publishedMessageArrivesWithPayloadAndEnvelope(TestInfo info) {
        Queue<Job> queue = jobs(info);
        Message<Job> sent = Message.builder(new Job("mail", 7)).id("m-1").key("customer-9")
                .header("trace", "abc").tags("vip").priority(3).build();

        StepVerifier.create(queue.publish(sent))
                .assertNext(r -> {
                    assertThat(r.id()).isEqualTo("m-1");
                    assertThat(r.topic()).isEqualTo(queue.topic());
                    assertThat(r.duplicate()).isFalse();
                })
                .expectComplete()
                .verify(fixture().patience());

        StepVerifier.create(queue.consume().take(1))
                .assertNext(d -> {
                    Message<Job> m = d.message();
                    assertThat(m.payload()).isEqualTo(new Job("mail", 7));
                    assertThat(m.id()).isEqualTo("m-1");
                    assertThat(m.topic()).isEqualTo(queue.topic());
                    assertThat(m.key()).isEqualTo("customer-9");
                    assertThat(m.headers()).containsEntry("trace", "abc");
                    assertThat(m.tags()).containsExactly("vip");
                    assertThat(m.priority()).isEqualTo(3);
                    assertThat(m.attempt()).isEqualTo(1);
                    assertThat(m.createdAt()).isNotNull();
                })
                .expectComplete()
                .verify(fixture().patience());
    }

    @Test
    default void messagesWithoutIdGetDistinctGeneratedIds(TestInfo info) {
        Queue<Job> queue = jobs(info);
        List<PublishResult> results = queue.publishAll(Flux.range(0, 50).map(KitSupport::job))
                .collectList().block(fixture().patience());

        assertThat(results).hasSize(50);
        assertThat(results.stream().map(PublishResult::id).distinct()).hasSize(50);
    }

    @Test
    default void publishAllEmitsOneResultPerMessageInOrder(TestInfo info) {
        Queue<Job> queue = jobs(info);
        List<Message<Job>> messages = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            messages.add(Message.builder(new Job("job", i)).id("id-" + i).build());
        }

        StepVerifier.create(queue.publishAll(Flux.fromIterable(messages)).map(PublishResult::id))
                .expectNextSequence(messages.stream().map(Message::id).toList())
                .expectComplete()
                .verify(fixture().patience());
    }

    @Test
    default void oneConsumerReceivesInPublishOrder(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 30);

        assertThat(numbers(consumeAndAck(queue, 30))).containsExactlyElementsOf(
                Flux.range(0, 30).collectList().block());
    }

    @Test
    default void consumerWaitsForMessagesPublishedLater(TestInfo info) {
        Queue<Job> queue = jobs(info);

        StepVerifier.create(queue.consume().take(1).map(d -> d.message().payload().n()))
                .expectSubscription()
                .then(() -> queue.publish(KitSupport.job(42)).block(fixture().patience()))
                .expectNext(42)
                .expectComplete()
                .verify(fixture().patience());
    }

    @Test
    default void competingConsumersShareMessagesWithoutDuplicates(TestInfo info) {
        Queue<Job> queue = jobs(info);
        List<Integer> first = new CopyOnWriteArrayList<>();
        List<Integer> second = new CopyOnWriteArrayList<>();
        ConsumeOptions small = ConsumeOptions.builder().prefetch(2).build();
        Disposable a = queue.consume(small)
                .concatMap(d -> d.ack().doOnSuccess(v -> first.add(d.message().payload().n())))
                .subscribe();
        Disposable b = queue.consume(small)
                .concatMap(d -> d.ack().doOnSuccess(v -> second.add(d.message().payload().n())))
                .subscribe();
        try {
            publishJobs(queue, 0, 40);
            awaitStats(queue, s -> s.completed() == 40);
            Set<Integer> all = new HashSet<>(first);
            all.addAll(second);
            assertThat(first.size() + second.size()).isEqualTo(40);
            assertThat(all).hasSize(40);
        } finally {
            a.dispose();
            b.dispose();
        }
    }

    @Test
    default void prefetchBoundsUnsettledDeliveries(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 10);
        List<Delivery<Job>> held = new CopyOnWriteArrayList<>();

        StepVerifier.create(queue.consume(ConsumeOptions.builder().prefetch(3).build()).doOnNext(held::add))
                .expectNextCount(3)
                .expectNoEvent(Duration.ofMillis(300))
                .then(() -> KitSupport.settle(held.get(0).ack()))
                .expectNextCount(1)
                .expectNoEvent(Duration.ofMillis(300))
                .thenCancel()
                .verify(fixture().patience());
        assertThat(held).hasSize(4);
    }

    @Test
    default void demandDrivesDelivery(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 5);

        StepVerifier.create(queue.consume(), 2)
                .expectNextCount(2)
                .expectNoEvent(Duration.ofMillis(300))
                .thenRequest(1)
                .expectNextCount(1)
                .thenCancel()
                .verify(fixture().patience());
    }

    @Test
    default void messagesPublishedAfterConsumerCancelledGoToTheNextConsumer(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 1);
        assertThat(numbers(consumeAndAck(queue, 1))).containsExactly(0);

        publishJobs(queue, 1, 2);
        assertThat(numbers(consumeAndAck(queue, 1))).containsExactly(1);
    }

    @Test
    default void invalidTopicNameIsRejectedWithAClearError(TestInfo info) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> broker().queue("bad topic!", Job.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad topic!")
                .hasMessageContaining("order.paid");
    }

    @Test
    default void cancellingAConsumerReturnsWhatItTookButNeverReceived(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 3);

        Delivery<Job> first = queue.consume().next().block(fixture().patience());
        KitSupport.settle(first.ack());

        QueueStats stats = awaitStats(queue, s -> s.completed() == 1 && s.inFlight() == 0 && s.ready() == 2);
        assertThat(stats.retried()).isZero();
        List<Delivery<Job>> rest = consumeAndAck(queue, 2);
        assertThat(numbers(rest)).containsExactly(1, 2);
        assertThat(rest).allSatisfy(d -> assertThat(d.message().attempt()).isEqualTo(1));
    }
}
