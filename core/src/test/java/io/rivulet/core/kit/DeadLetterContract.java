package io.rivulet.core.kit;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.DeadLetter;
import io.rivulet.core.Delivery;
import io.rivulet.core.Queue;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import reactor.test.StepVerifier;

/** Dead letters: list, count, replay one and all, purge, history across replays. */
public interface DeadLetterContract extends KitSupport {

    /** Publishes jobs from..to-1 and dead-letters each on its first delivery. */
    private void deadLetterJobs(Queue<Job> queue, int from, int to) {
        publishJobs(queue, from, to);
        queue.consume()
                .concatMap(d -> d.deadLetter("bad job " + d.message().payload().n(),
                        new IllegalStateException("boom")).thenReturn(d))
                .take(to - from)
                .then()
                .block(fixture().patience());
    }

    @Test
    default void deadLettersAreListedOldestFirstWithTheirHistory(TestInfo info) {
        Queue<Job> queue = jobs(info);
        deadLetterJobs(queue, 0, 3);

        List<DeadLetter> list = queue.deadLetters().list().collectList().block(fixture().patience());
        assertThat(list).extracting(DeadLetter::reason).containsExactly("bad job 0", "bad job 1", "bad job 2");
        DeadLetter first = list.get(0);
        assertThat(first.message().topic()).isEqualTo(queue.topic());
        assertThat(first.payloadText()).contains("\"n\":0");
        assertThat(first.errorClass()).isEqualTo(IllegalStateException.class.getName());
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.firstFailureAt()).isNotNull();
        assertThat(first.lastFailureAt()).isEqualTo(first.firstFailureAt());
        assertThat(first.replays()).isZero();
        assertThat(queue.deadLetters().list(2).collectList().block(fixture().patience())).hasSize(2);
    }

    @Test
    default void deadLetterCountMatchesTheList(TestInfo info) {
        Queue<Job> queue = jobs(info);
        deadLetterJobs(queue, 0, 4);

        StepVerifier.create(queue.deadLetters().count()).expectNext(4L).expectComplete().verify(fixture().patience());
        assertThat(awaitStats(queue, s -> s.dead() == 4).failed()).isEqualTo(4);
    }

    @Test
    default void replayedDeadLetterReturnsWithAttemptsResetAndReplayCounted(TestInfo info) {
        Queue<Job> queue = jobs(info);
        deadLetterJobs(queue, 0, 2);
        String id = queue.deadLetters().list().blockFirst(fixture().patience()).id();

        StepVerifier.create(queue.deadLetters().replay(id)).expectNext(true).expectComplete()
                .verify(fixture().patience());

        Delivery<Job> back = queue.consume().next().block(fixture().patience());
        assertThat(back.message().id()).isEqualTo(id);
        assertThat(back.message().attempt()).isEqualTo(1);
        assertThat(queue.deadLetters().count().block(fixture().patience())).isEqualTo(1);

        KitSupport.settle(back.deadLetter("still bad"));
        DeadLetter again = queue.deadLetters().list().filter(dl -> dl.id().equals(id))
                .blockFirst(fixture().patience());
        assertThat(again.replays()).isEqualTo(1);
        assertThat(again.reason()).isEqualTo("still bad");
        assertThat(again.lastFailureAt()).isAfterOrEqualTo(again.firstFailureAt());
    }

    @Test
    default void replayingAnUnknownIdReportsFalse(TestInfo info) {
        Queue<Job> queue = jobs(info);
        deadLetterJobs(queue, 0, 1);

        StepVerifier.create(queue.deadLetters().replay("no-such-id")).expectNext(false).expectComplete()
                .verify(fixture().patience());
        assertThat(queue.deadLetters().count().block(fixture().patience())).isEqualTo(1);
    }

    @Test
    default void replayAllReturnsEveryDeadLetterToTheTopic(TestInfo info) {
        Queue<Job> queue = jobs(info);
        deadLetterJobs(queue, 0, 5);

        StepVerifier.create(queue.deadLetters().replayAll()).expectNext(5L).expectComplete()
                .verify(fixture().patience());
        assertThat(numbers(consumeAndAck(queue, 5))).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
        assertThat(queue.deadLetters().count().block(fixture().patience())).isZero();
    }

    @Test
    default void purgeDeletesEveryDeadLetter(TestInfo info) {
        Queue<Job> queue = jobs(info);
        deadLetterJobs(queue, 0, 3);

        StepVerifier.create(queue.deadLetters().purge()).expectNext(3L).expectComplete().verify(fixture().patience());
        StepVerifier.create(queue.deadLetters().list()).expectComplete().verify(fixture().patience());
        assertThat(awaitStats(queue, s -> s.dead() == 0).pending()).isZero();
    }

    @Test
    default void deadLettersArePerTopic(TestInfo info) {
        Queue<Job> a = jobs(info);
        Queue<Job> b = jobs(info);
        deadLetterJobs(a, 0, 2);

        assertThat(b.deadLetters().count().block(fixture().patience())).isZero();
        assertThat(broker().admin().deadLetters(a.topic()).count().block(fixture().patience())).isEqualTo(2);
    }

    @Test
    default void deadLetterAfterRetriesRecordsTheAttempts(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 1);
        Delivery<Job> d = queue.consume().next().block(fixture().patience());
        KitSupport.settle(d.nack());
        d = queue.consume().next().block(fixture().patience());
        KitSupport.settle(d.nack(Duration.ZERO));
        d = queue.consume().next().block(fixture().patience());
        KitSupport.settle(d.deadLetter("gave up"));

        assertThat(queue.deadLetters().list().blockFirst(fixture().patience()).attempts()).isEqualTo(3);
    }
}
