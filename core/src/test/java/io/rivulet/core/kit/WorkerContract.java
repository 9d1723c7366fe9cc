package io.rivulet.core.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rivulet.core.Delivery;
import io.rivulet.core.HandleOptions;
import io.rivulet.core.Handler;
import io.rivulet.core.Message;
import io.rivulet.core.Outcome;
import io.rivulet.core.PermanentException;
import io.rivulet.core.Queue;
import io.rivulet.core.QueueStats;
import io.rivulet.core.Worker;
import io.rivulet.core.WorkerOptions;
import io.rivulet.core.WorkerPool;
import io.rivulet.core.WorkerStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** Worker and WorkerPool: handling, callbacks, stats, graceful stop. */
public interface WorkerContract extends KitSupport {

    private WorkerOptions.Builder workerOptions(int concurrency) {
        return WorkerOptions.builder().handleOptions(HandleOptions.builder()
                .concurrency(concurrency)
                .scheduler(fixture().clock().scheduler())
                .build());
    }

    /** Waits (bounded, polling) until {@code condition} holds. */
    private void await(String what, BooleanSupplier condition) {
        Boolean met = Mono.fromCallable(condition::getAsBoolean)
                .filter(Boolean::booleanValue)
                .repeatWhenEmpty(Integer.MAX_VALUE, r -> r.delayElements(Duration.ofMillis(10)))
                .timeout(fixture().patience(), Mono.error(new AssertionError("Timed out waiting until " + what)))
                .block();
        assertThat(met).isTrue();
    }

    @Test
    default void workerHandlesEveryMessageAndReportsCompletions(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 20);
        List<Integer> completed = new CopyOnWriteArrayList<>();
        Worker<Job> worker = Worker.builder(queue, (Message<Job> m) -> Mono.empty())
                .options(workerOptions(4).build())
                .onCompleted(o -> completed.add(o.message().payload().n()))
                .build()
                .start();
        try {
            awaitStats(queue, s -> s.completed() == 20);
            await("20 completions reported", () -> completed.size() == 20);
            assertThat(completed).containsExactlyInAnyOrderElementsOf(List.of(
                    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19));
            WorkerStats stats = worker.stats();
            assertThat(stats.status()).isEqualTo(Worker.Status.RUNNING);
            assertThat(stats.completed()).isEqualTo(20);
            assertThat(stats.failed()).isZero();
            assertThat(stats.total()).isEqualTo(20);
            assertThat(stats.activeWorkers()).isEqualTo(1);
        } finally {
            worker.stop().block(fixture().patience());
        }
        assertThat(worker.status()).isEqualTo(Worker.Status.STOPPED);
    }

    @Test
    default void workerReportsFailuresThroughOnFailed(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 10);
        List<Outcome<Job>> failures = new CopyOnWriteArrayList<>();
        Worker<Job> worker = Worker.builder(queue, (Message<Job> m) -> m.payload().n() % 2 == 0
                        ? Mono.error(new PermanentException("even jobs are refused"))
                        : Mono.empty())
                .options(workerOptions(2).build())
                .onFailed(failures::add)
                .build()
                .start();
        try {
            awaitStats(queue, s -> s.completed() == 5 && s.dead() == 5);
            await("5 failures reported", () -> failures.size() == 5);
            assertThat(failures).allSatisfy(o -> {
                assertThat(o.status()).isEqualTo(Outcome.Status.DEAD_LETTERED);
                assertThat(o.reason()).isEqualTo("permanent failure");
                assertThat(o.message().payload().n() % 2).isZero();
            });
            assertThat(worker.stats().failed()).isEqualTo(5);
            assertThat(worker.stats().completed()).isEqualTo(5);
        } finally {
            worker.stop().block(fixture().patience());
        }
    }

    @Test
    default void gracefulStopFinishesInFlightWorkAndStopsFetching(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 10);
        Sinks.Empty<Void> gate = Sinks.empty();
        AtomicInteger started = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        Worker<Job> worker = Worker.builder(queue, (Message<Job> m) -> {
                    started.incrementAndGet();
                    return gate.asMono().doOnSuccess(v -> finished.incrementAndGet());
                })
                .options(workerOptions(3).build())
                .build()
                .start();
        await("3 handlers running", () -> worker.stats().inProgress() == 3);

        CompletableFuture<Void> stopped = worker.stop().toFuture();
        assertThat(worker.status()).isEqualTo(Worker.Status.STOPPING);
        assertThat(stopped).isNotDone();
        gate.tryEmitEmpty();

        assertThat(stopped).succeedsWithin(fixture().patience());
        assertThat(worker.status()).isEqualTo(Worker.Status.STOPPED);
        assertThat(finished.get()).isEqualTo(3);
        assertThat(started.get()).isEqualTo(3);
        assertThat(worker.stats().completed()).isEqualTo(3);
        assertThat(worker.stats().activeWorkers()).isZero();
        awaitStats(queue, s -> s.completed() == 3 && s.ready() == 7 && s.inFlight() == 0);
    }

    @Test
    default void stopTimeoutCancelsUnfinishedWorkAndReturnsItToTheQueue(TestInfo info) throws Exception {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 5);
        AtomicInteger cancelled = new AtomicInteger();
        Handler<Job> hanging = m -> Mono.never().doOnCancel(cancelled::incrementAndGet);
        Worker<Job> worker = Worker.builder(queue, hanging)
                .options(workerOptions(2).stopTimeout(Duration.ofSeconds(1)).build())
                .build()
                .start();
        await("2 handlers running", () -> worker.stats().inProgress() == 2);

        CompletableFuture<Void> stopped = worker.stop().toFuture();
        fixture().clock().advance(Duration.ofSeconds(1));

        stopped.get(fixture().patience().toMillis(), TimeUnit.MILLISECONDS);
        assertThat(worker.status()).isEqualTo(Worker.Status.STOPPED);
        assertThat(cancelled.get()).isEqualTo(2);
        awaitStats(queue, s -> s.ready() == 5 && s.inFlight() == 0 && s.completed() == 0);
        List<Delivery<Job>> again = consumeAndAck(queue, 5);
        assertThat(again).filteredOn(d -> d.message().attempt() == 2).hasSize(2);
    }

    @Test
    default void keyOrderedWorkerKeepsEachKeysOrder(TestInfo info) {
        Queue<Job> queue = jobs(info);
        queue.publishAll(Flux.range(0, 30).map(i -> Message.builder(new Job("k" + (i % 3), i))
                        .key("k" + (i % 3)).build()))
                .then().block(fixture().patience());
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        Worker<Job> worker = Worker.builder(queue, (Message<Job> m) -> Mono.fromRunnable(() ->
                        seen.computeIfAbsent(m.key(), k -> new CopyOnWriteArrayList<>()).add(m.payload().n())))
                .options(workerOptions(3).keyOrdered(true).build())
                .build()
                .start();
        try {
            awaitStats(queue, s -> s.completed() == 30);
            for (int k = 0; k < 3; k++) {
                List<Integer> expected = new ArrayList<>();
                for (int i = k; i < 30; i += 3) {
                    expected.add(i);
                }
                assertThat(seen.get("k" + k)).containsExactlyElementsOf(expected);
            }
        } finally {
            worker.stop().block(fixture().patience());
        }
    }

    @Test
    default void callbackErrorsDoNotStopTheWorker(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 5);
        Worker<Job> worker = Worker.builder(queue, (Message<Job> m) -> Mono.empty())
                .options(workerOptions(1).build())
                .onCompleted(o -> {
                    throw new IllegalStateException("callback bug");
                })
                .build()
                .start();
        try {
            awaitStats(queue, s -> s.completed() == 5);
            await("5 completions counted", () -> worker.stats().completed() == 5);
            assertThat(worker.status()).isEqualTo(Worker.Status.RUNNING);
        } finally {
            worker.stop().block(fixture().patience());
        }
    }

    @Test
    default void workerStartsOnceAndStopsWhenNeverStarted(TestInfo info) {
        Queue<Job> queue = jobs(info);
        Worker<Job> unused = Worker.builder(queue, (Message<Job> m) -> Mono.empty()).build();
        unused.stop().block(fixture().patience());
        assertThat(unused.status()).isEqualTo(Worker.Status.STOPPED);
        assertThatThrownBy(unused::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already started");

        Worker<Job> worker = Worker.builder(queue, (Message<Job> m) -> Mono.empty()).build().start();
        try {
            assertThatThrownBy(worker::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(queue.topic());
        } finally {
            worker.stop().block(fixture().patience());
        }
    }

    @Test
    default void workerPoolRunsCompetingWorkersAndStopsThemAll(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 30);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Sinks.Empty<Void> allThreeBusy = Sinks.empty();
        WorkerPool pool = WorkerPool.of(3, queue, (Message<Job> m) -> Mono.defer(() -> {
            int now = running.incrementAndGet();
            most.accumulateAndGet(now, Math::max);
            if (now == 3) {
                allThreeBusy.tryEmitEmpty();
            }
            return allThreeBusy.asMono();
        }).doFinally(s -> running.decrementAndGet()), workerOptions(1).build());
        assertThat(pool.stats().status()).isEqualTo(Worker.Status.NEW);
        pool.start();
        try {
            awaitStats(queue, s -> s.completed() == 30);
            await("30 completions counted", () -> pool.stats().completed() == 30);
            WorkerStats stats = pool.stats();
            assertThat(stats.status()).isEqualTo(Worker.Status.RUNNING);
            assertThat(stats.workers()).isEqualTo(3);
            assertThat(stats.activeWorkers()).isEqualTo(3);
            assertThat(most.get()).isEqualTo(3);
            assertThat(pool.workers()).extracting(Worker::name)
                    .containsExactly(queue.topic() + "-1", queue.topic() + "-2", queue.topic() + "-3");
        } finally {
            pool.stop().block(fixture().patience());
        }
        assertThat(pool.stats().status()).isEqualTo(Worker.Status.STOPPED);
        assertThat(pool.stats().activeWorkers()).isZero();
    }

    @Test
    default void stopTimeoutReturnsWorkThatNeverStartedUnchanged(TestInfo info) throws Exception {
        Queue<Job> queue = jobs(info);
        queue.publishAll(Flux.range(0, 3).map(i -> Message.builder(new Job("same key", i)).key("k").build()))
                .then().block(fixture().patience());
        AtomicInteger started = new AtomicInteger();
        Handler<Job> hanging = m -> Mono.defer(() -> {
            started.incrementAndGet();
            return Mono.never();
        });
        Worker<Job> worker = Worker.builder(queue, hanging)
                .options(workerOptions(1).keyOrdered(true).stopTimeout(Duration.ofSeconds(1)).build())
                .build()
                .start();
        await("the first handler running", () -> worker.stats().inProgress() == 1);

        CompletableFuture<Void> stopped = worker.stop().toFuture();
        fixture().clock().advance(Duration.ofSeconds(1));
        stopped.get(fixture().patience().toMillis(), TimeUnit.MILLISECONDS);

        assertThat(started.get()).isEqualTo(1);
        QueueStats stats = awaitStats(queue, s -> s.ready() == 3 && s.inFlight() == 0);
        assertThat(stats.retried()).as("only the started one counts as a retry").isEqualTo(1);
        Map<Integer, Integer> attempts = new ConcurrentHashMap<>();
        consumeAndAck(queue, 3).forEach(d -> attempts.put(d.message().payload().n(), d.message().attempt()));
        assertThat(attempts).containsEntry(0, 2).containsEntry(1, 1).containsEntry(2, 1);
    }
}
