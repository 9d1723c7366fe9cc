package io.rivulet.core.kit;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.DeadLetter;
import io.rivulet.core.Handle;
import io.rivulet.core.Handler;
import io.rivulet.core.Message;
import io.rivulet.core.Outcome;
import io.rivulet.core.Queue;
import io.rivulet.core.QueueStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Handling with bounded concurrency and per-key order; handler timeouts. */
public interface HandleContract extends OperatorKitSupport {

    Duration WORK = Duration.ofMillis(20);

    /** A handler that takes {@link #WORK} on the fixture's clock, tracking how many run at once. */
    private Handler<Job> timedWork(AtomicInteger running, AtomicInteger max, List<Integer> seen) {
        return m -> Mono.fromRunnable(() -> {
                    OperatorKitSupport.trackMax(running, max);
                    seen.add(m.payload().n());
                })
                .then(Mono.delay(WORK, timers()))
                // Before the signal goes on: the operator may start the next handler from inside it.
                .doOnTerminate(running::decrementAndGet)
                .doOnCancel(running::decrementAndGet);
    }

    @Test
    default void concurrentHandlingNeverExceedsTheConcurrencyBound(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 40);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        List<Integer> seen = new CopyOnWriteArrayList<>();

        try (var p = run(queue, Handle.concurrently(timedWork(running, max, seen),
                handleOptions().concurrency(4).build()))) {
            advanceUntil(WORK, "40 outcomes", () -> p.outcomes.size() == 40);
            assertThat(max.get()).isBetween(2, 4);
            assertThat(seen).hasSize(40);
        }
    }

    @Test
    default void everyDeliveryIsHandledAndAckedExactlyOnce(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 100);
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

        try (var p = run(queue, Handle.concurrently((Message<Job> m) -> Mono.fromRunnable(() ->
                calls.computeIfAbsent(m.id(), id -> new AtomicInteger()).incrementAndGet()),
                handleOptions().concurrency(8).build()))) {
            QueueStats stats = awaitStats(queue, s -> s.completed() == 100);
            await("100 outcomes", () -> p.outcomes.size() == 100);
            assertThat(stats.pending()).isZero();
            assertThat(calls).hasSize(100);
            assertThat(calls.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
            assertThat(p.outcomes).allSatisfy(o -> {
                assertThat(o.status()).isEqualTo(Outcome.Status.ACKED);
                assertThat(o.attempts()).isEqualTo(1);
                assertThat(o.error()).isNull();
            });
            assertThat(p.outcomes.stream().map(Outcome::id).distinct()).hasSize(100);
        }
    }

    @Test
    default void keyOrderIsKeptPerKeyWhileKeysRunInParallel(TestInfo info) {
        Queue<Job> queue = jobs(info);
        int keys = 20;
        int perKey = 8;
        List<Message<Job>> messages = new ArrayList<>();
        for (int i = 0; i < perKey; i++) {
            for (int k = 0; k < keys; k++) {
                messages.add(Message.builder(new Job("k" + k, i)).key("k" + k).build());
            }
        }
        queue.publishAll(Flux.fromIterable(messages)).then().block(fixture().patience());
        Map<String, List<Integer>> order = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> runningPerKey = new ConcurrentHashMap<>();
        AtomicBoolean sameKeyOverlapped = new AtomicBoolean();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        Handler<Job> handler = m -> Mono.fromRunnable(() -> {
                    OperatorKitSupport.trackMax(running, max);
                    if (runningPerKey.computeIfAbsent(m.key(), k -> new AtomicInteger()).incrementAndGet() > 1) {
                        sameKeyOverlapped.set(true);
                    }
                    order.computeIfAbsent(m.key(), k -> new CopyOnWriteArrayList<>()).add(m.payload().n());
                })
                .then(Mono.delay(WORK, timers()))
                .doOnTerminate(() -> {
                    runningPerKey.get(m.key()).decrementAndGet();
                    running.decrementAndGet();
                });

        try (var p = run(queue, Handle.inKeyOrder(handler, handleOptions().concurrency(6).build()))) {
            advanceUntil(WORK, keys * perKey + " outcomes", () -> p.outcomes.size() == keys * perKey);
            assertThat(sameKeyOverlapped).isFalse();
            assertThat(order).hasSize(keys);
            List<Integer> expected = Flux.range(0, perKey).collectList().block();
            assertThat(order.values()).allSatisfy(seq -> assertThat(seq).containsExactlyElementsOf(expected));
            assertThat(max.get()).isBetween(2, 6);
            assertThat(p.count(Outcome.Status.ACKED)).isEqualTo(keys * perKey);
        }
    }

    @Test
    default void keyOrderedHandlingDoesNotStallWithManyDistinctKeys(TestInfo info) {
        Queue<Job> queue = jobs(info);
        int n = 600;
        queue.publishAll(Flux.range(0, n).map(i -> Message.builder(new Job("u", i)).key("user-" + i).build()))
                .then().block(fixture().patience());
        AtomicInteger running = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        List<Integer> seen = new CopyOnWriteArrayList<>();

        try (var p = run(queue, Handle.inKeyOrder(timedWork(running, max, seen),
                handleOptions().concurrency(4).build()))) {
            advanceUntil(WORK, n + " outcomes", () -> p.outcomes.size() == n);
            assertThat(seen).hasSize(n).doesNotHaveDuplicates();
            assertThat(max.get()).isBetween(2, 4);
            awaitStats(queue, s -> s.completed() == n && s.pending() == 0);
        }
    }

    @Test
    default void messagesWithoutKeyAreNotSerializedByKeyOrder(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 24);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        List<Integer> seen = new CopyOnWriteArrayList<>();

        try (var p = run(queue, Handle.inKeyOrder(timedWork(running, max, seen),
                handleOptions().concurrency(4).build()))) {
            advanceUntil(WORK, "24 outcomes", () -> p.outcomes.size() == 24);
            assertThat(max.get()).isBetween(2, 4);
            assertThat(seen).hasSize(24);
        }
    }

    @Test
    default void keyOrderHoldsWhileAMessageRetriesInProcess(TestInfo info) {
        Queue<Job> queue = jobs(info);
        queue.publishAll(Flux.range(0, 5).map(i -> Message.builder(new Job("a", i)).key("a").build()))
                .then().block(fixture().patience());
        List<String> events = new CopyOnWriteArrayList<>();
        AtomicBoolean failedOnce = new AtomicBoolean();
        Handler<Job> handler = m -> Mono.defer(() -> {
            int n = m.payload().n();
            if (n == 1 && failedOnce.compareAndSet(false, true)) {
                events.add("fail-1");
                return Mono.error(new IllegalStateException("transient"));
            }
            events.add("ok-" + n);
            return Mono.empty();
        });

        try (var p = run(queue, Handle.inKeyOrder(handler, handleOptions().concurrency(4)
                .retryPolicy(exactPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1))).build()))) {
            advanceUntil(Duration.ofMillis(50), "5 outcomes", () -> p.outcomes.size() == 5);
            assertThat(events).containsExactly("ok-0", "fail-1", "ok-1", "ok-2", "ok-3", "ok-4");
            assertThat(p.outcomes).filteredOn(o -> o.message().payload().n() == 1)
                    .singleElement().satisfies(o -> assertThat(o.attempts()).isEqualTo(2));
        }
    }

    @Test
    default void handlerTimeoutCancelsTheHandlerAndCountsAsAFailedAttempt(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 1);
        AtomicInteger cancelled = new AtomicInteger();
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        Handler<Job> handler = m -> {
            attempts.add(m.attempt());
            return m.attempt() == 1 ? Mono.never().doOnCancel(cancelled::incrementAndGet) : Mono.empty();
        };
        long start = nowMillis();

        try (var p = run(queue, Handle.concurrently(handler, handleOptions().timeout(Duration.ofMillis(500))
                .retryPolicy(exactPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1))).build()))) {
            advanceUntil(Duration.ofMillis(100), "an outcome", () -> p.outcomes.size() == 1);
            assertThat(cancelled.get()).isEqualTo(1);
            assertThat(attempts).containsExactly(1, 2);
            assertThat(p.outcomes.get(0).status()).isEqualTo(Outcome.Status.ACKED);
            assertThat(p.outcomes.get(0).attempts()).isEqualTo(2);
            assertThat(nowMillis() - start).isGreaterThanOrEqualTo(600);
        }
    }

    @Test
    default void handlerTimingOutOnItsLastAttemptIsDeadLetteredWithTheTimeout(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 1);
        AtomicInteger cancelled = new AtomicInteger();
        Handler<Job> handler = m -> Mono.never().doOnCancel(cancelled::incrementAndGet);

        try (var p = run(queue, Handle.concurrently(handler, handleOptions().timeout(Duration.ofMillis(300))
                .retryPolicy(exactPolicy(1, Duration.ofMillis(100), Duration.ofSeconds(1))).build()))) {
            advanceUntil(Duration.ofMillis(100), "an outcome", () -> p.outcomes.size() == 1);
            assertThat(cancelled.get()).isEqualTo(1);
            assertThat(p.outcomes.get(0).status()).isEqualTo(Outcome.Status.DEAD_LETTERED);
            assertThat(p.outcomes.get(0).error()).isInstanceOf(TimeoutException.class);
            DeadLetter dl = awaitDeadLetters(queue, 1).get(0);
            assertThat(dl.reason()).isEqualTo("max attempts exhausted");
            assertThat(dl.errorClass()).isEqualTo(TimeoutException.class.getName());
            assertThat(dl.attempts()).isEqualTo(1);
        }
    }

    @Test
    default void messageTimeoutOverridesTheOptions(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publish(queue, Message.builder(new Job("slow", 1)).timeout(Duration.ofMillis(200)).build());
        AtomicInteger cancelled = new AtomicInteger();
        Handler<Job> handler = m -> Mono.never().doOnCancel(cancelled::incrementAndGet);

        try (var p = run(queue, Handle.concurrently(handler, handleOptions().timeout(Duration.ofHours(1))
                .retryPolicy(exactPolicy(1, Duration.ofMillis(100), Duration.ofSeconds(1))).build()))) {
            advanceUntil(Duration.ofMillis(100), "an outcome", () -> p.outcomes.size() == 1);
            assertThat(cancelled.get()).isEqualTo(1);
            assertThat(p.outcomes.get(0).error()).isInstanceOf(TimeoutException.class);
        }
    }

    @Test
    default void handlerThrowingInsteadOfReturningAnErrorIsAFailedAttempt(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 1);
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        Handler<Job> handler = m -> {
            attempts.add(m.attempt());
            if (m.attempt() == 1) {
                throw new IllegalStateException("thrown, not returned");
            }
            return Mono.empty();
        };

        try (var p = run(queue, Handle.concurrently(handler, handleOptions()
                .retryPolicy(exactPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1))).build()))) {
            advanceUntil(Duration.ofMillis(50), "an outcome", () -> p.outcomes.size() == 1);
            assertThat(attempts).containsExactly(1, 2);
            assertThat(p.outcomes.get(0).status()).isEqualTo(Outcome.Status.ACKED);
            awaitStats(queue, s -> s.completed() == 1);
        }
    }

    @Test
    default void blockingHandlerRunsOffTheDeliveringThread(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 3);
        List<String> threads = new CopyOnWriteArrayList<>();

        try (var p = run(queue, Handle.concurrently(Handler.<Job>blocking(m ->
                threads.add(Thread.currentThread().getName())), handleOptions().build()))) {
            await("3 outcomes", () -> p.outcomes.size() == 3);
            assertThat(threads).hasSize(3).allSatisfy(t -> assertThat(t).contains("boundedElastic"));
            awaitStats(queue, s -> s.completed() == 3);
        }
    }

    @Test
    default void blockingHandlerFailureIsRetried(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 1);
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        Handler<Job> handler = Handler.blocking(m -> {
            attempts.add(m.attempt());
            if (m.attempt() == 1) {
                throw new java.io.IOException("disk busy");
            }
        });

        try (var p = run(queue, Handle.concurrently(handler, handleOptions()
                .retryPolicy(exactPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1))).build()))) {
            advanceUntil(Duration.ofMillis(50), "an outcome", () -> p.outcomes.size() == 1);
            assertThat(attempts).containsExactly(1, 2);
            assertThat(p.outcomes.get(0).status()).isEqualTo(Outcome.Status.ACKED);
        }
    }
}
