package io.rivulet.samples.service.web;

import io.rivulet.core.Broker;
import io.rivulet.core.Worker;
import io.rivulet.samples.service.worker.WorkerService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;

/**
 * Decides whether the service is ready: every consumer running and the broker answering.
 *
 * <p>The broker is asked for the stats of the first consumed topic, a real round trip on a remote
 * backend, bounded by {@code rivulet.ready-timeout}; a closed broker is not asked. The last answer is
 * kept for the {@code rivulet.service.broker.reachable} gauge. Never blocks.
 */
public final class ReadinessProbe {

    private final Broker broker;
    private final WorkerService workers;
    private final Duration timeout;
    private final String address;
    private final AtomicBoolean lastReachable = new AtomicBoolean();

    /**
     * The probe's answer.
     *
     * @param ready whether the service takes work
     * @param backend the broker's backend
     * @param brokerReachable whether the broker answered in time
     * @param consumers every consumed topic's worker status
     * @param problems why it is not ready (empty when ready)
     */
    public record Readiness(boolean ready, String backend, boolean brokerReachable,
                            Map<String, Worker.Status> consumers, List<String> problems) {
    }

    /**
     * A probe of {@code broker} and {@code workers}.
     *
     * @param address where the broker is, without credentials (e.g. {@code "at 127.0.0.1:6379"}), for
     *                the problems reported
     */
    public ReadinessProbe(Broker broker, WorkerService workers, Duration timeout, String address) {
        this.broker = broker;
        this.workers = workers;
        this.timeout = timeout;
        this.address = address;
    }

    /** Checks now; never signals an error. */
    public Mono<Readiness> check() {
        return probe().map(failure -> {
            boolean reachable = failure.isEmpty();
            lastReachable.set(reachable);
            Map<String, Worker.Status> consumers = workers.statuses();
            List<String> problems = new ArrayList<>();
            if (!reachable) {
                problems.add(failure);
            }
            consumers.forEach((topic, status) -> {
                if (status != Worker.Status.RUNNING) {
                    problems.add("consumer of '" + topic + "' is " + status);
                }
            });
            if (consumers.isEmpty()) {
                problems.add("no consumers");
            }
            return new Readiness(problems.isEmpty(), broker.backend(), reachable, consumers, List.copyOf(problems));
        });
    }

    /** Asks the broker; emits "" when it answered, else why not (the backend's message names its address). */
    private Mono<String> probe() {
        String closed = "the " + broker.backend() + " broker is closed";
        if (broker.isClosed()) {
            return Mono.just(closed);
        }
        List<String> topics = workers.topics();
        String probe = topics.isEmpty() ? "rivulet.ready" : topics.get(0);
        String silent = "the " + broker.backend() + " broker " + address + " did not answer within " + timeout;
        return broker.admin().stats(probe)
                .timeout(timeout)
                .map(s -> broker.isClosed() ? closed : "")
                .defaultIfEmpty(silent)
                .onErrorResume(e -> Mono.just(broker.isClosed() ? closed
                        : e instanceof TimeoutException || e.getMessage() == null ? silent
                        : "the " + broker.backend() + " broker " + address + " failed: " + e.getMessage()));
    }

    /** 1 if the broker answered the last check, else 0 (for the gauge). */
    public double lastReachable() {
        return lastReachable.get() && !broker.isClosed() ? 1 : 0;
    }
}
