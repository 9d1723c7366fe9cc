package io.rivulet.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Workers started and stopped together: {@code n} competing workers on one queue
 * ({@link #of(int, Queue, Handler, WorkerOptions)}), or one worker per topic, each with its own
 * handler ({@link #of(String, List)}). Thread-safe.
 */
public final class WorkerPool {

    private final String name;
    private final List<Worker<?>> workers;

    private WorkerPool(String name, List<Worker<?>> workers) {
        this.name = Objects.requireNonNull(name, "name");
        this.workers = List.copyOf(workers);
        if (this.workers.isEmpty()) {
            throw new IllegalArgumentException("A WorkerPool needs at least one worker");
        }
    }

    /**
     * A pool of {@code size} workers competing for {@code queue}'s messages, each with the same
     * handler and options, named {@code <name>-1 .. <name>-n}.
     */
    public static <T> WorkerPool of(int size, Queue<T> queue, Handler<T> handler, WorkerOptions options) {
        return of(size, queue, handler, options, null, null);
    }

    /** As {@link #of(int, Queue, Handler, WorkerOptions)}, with callbacks every worker calls. */
    public static <T> WorkerPool of(int size, Queue<T> queue, Handler<T> handler, WorkerOptions options,
                                    Consumer<Outcome<T>> onCompleted, Consumer<Outcome<T>> onFailed) {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(options, "options");
        if (size < 1) {
            throw new IllegalArgumentException("WorkerPool size must be at least 1, was " + size);
        }
        String base = options.name() != null ? options.name() : queue.topic();
        List<Worker<?>> workers = new ArrayList<>(size);
        for (int i = 1; i <= size; i++) {
            Worker.Builder<T> b = Worker.builder(queue, handler).options(options.mutate().name(base + "-" + i).build());
            if (onCompleted != null) {
                b.onCompleted(onCompleted);
            }
            if (onFailed != null) {
                b.onFailed(onFailed);
            }
            workers.add(b.build());
        }
        return new WorkerPool(base, workers);
    }

    /** A pool of the given workers (for example one per topic), not yet started. */
    public static WorkerPool of(String name, List<Worker<?>> workers) {
        return new WorkerPool(name, Objects.requireNonNull(workers, "workers"));
    }

    /** The pool's name. */
    public String name() {
        return name;
    }

    /** Its workers. */
    public List<Worker<?>> workers() {
        return workers;
    }

    /** Starts every worker; returns at once. */
    public WorkerPool start() {
        workers.forEach(Worker::start);
        return this;
    }

    /** Stops every worker gracefully and at the same time; completes when all have stopped. */
    public Mono<Void> stop() {
        return Flux.fromIterable(workers).flatMap(Worker::stop).then();
    }

    /**
     * The pool's counters: the sums of its workers', with a status that is {@link Worker.Status#RUNNING}
     * while any worker runs, {@link Worker.Status#STOPPING} while any stops, {@link Worker.Status#FAILED}
     * if all ended and one failed.
     */
    public WorkerStats stats() {
        int active = 0;
        int inProgress = 0;
        long completed = 0;
        long failed = 0;
        long restarts = 0;
        boolean anyRunning = false;
        boolean anyStopping = false;
        boolean anyFailed = false;
        boolean allNew = true;
        for (Worker<?> w : workers) {
            WorkerStats s = w.stats();
            active += s.activeWorkers();
            inProgress += s.inProgress();
            completed += s.completed();
            failed += s.failed();
            restarts += s.restarts();
            anyRunning |= s.status() == Worker.Status.RUNNING;
            anyStopping |= s.status() == Worker.Status.STOPPING;
            anyFailed |= s.status() == Worker.Status.FAILED;
            allNew &= s.status() == Worker.Status.NEW;
        }
        Worker.Status status = allNew ? Worker.Status.NEW
                : anyStopping ? Worker.Status.STOPPING
                : anyRunning ? Worker.Status.RUNNING
                : anyFailed ? Worker.Status.FAILED
                : Worker.Status.STOPPED;
        return new WorkerStats(name, status, workers.size(), active, completed, failed, inProgress, restarts);
    }

    @Override
    public String toString() {
        return "WorkerPool{" + name + ", " + workers.size() + " workers}";
    }
}
