package io.rivulet.samples.service.worker;

import io.rivulet.core.Broker;
import io.rivulet.core.ConsumeOptions;
import io.rivulet.core.HandleOptions;
import io.rivulet.core.Handler;
import io.rivulet.core.Outcome;
import io.rivulet.core.RetryPolicy;
import io.rivulet.core.Worker;
import io.rivulet.core.WorkerOptions;
import io.rivulet.core.WorkerPool;
import io.rivulet.core.WorkerStats;
import io.rivulet.samples.service.config.ServiceProperties;
import io.rivulet.samples.service.events.EventFeed;
import io.rivulet.samples.service.events.ProcessedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Mono;

/**
 * Runs one {@link Worker} per consumed topic and starts and stops them together, with the Spring
 * context: they start once the context is refreshed and stop first when it closes (on SIGTERM,
 * Spring Boot's shutdown hook closes it).
 *
 * <p>Consumed topics: every topic of {@code rivulet.worker.topics}, with its handler from a
 * {@link HandlerCatalog} or else the {@link DefaultHandler}, plus every handler marked
 * {@link TopicHandler#always()}. Each topic runs at most {@code rivulet.worker.concurrency} (or its
 * {@code concurrency-per-topic} override) handlers at once, retries temporary failures up to
 * {@code max-attempts} with exponential backoff, and dead-letters what still fails.
 *
 * <p>Stopping is graceful: every worker stops fetching at once, in-flight messages get up to
 * {@code rivulet.worker.stop-timeout} to finish, and what is still running then is cancelled and
 * returned to its queue. {@link #stop(Runnable)} does not block: Spring waits for its callback (up to
 * {@code spring.lifecycle.timeout-per-shutdown-phase}). Thread-safe.
 */
public final class WorkerService implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerService.class);

    private final Broker broker;
    private final ServiceProperties.Worker settings;
    private final EventFeed feed;
    private final Map<String, TopicHandler<?>> handlers;
    private volatile WorkerPool pool;

    /** A service consuming the topics {@code settings} and {@code catalogs} say, not started. */
    public WorkerService(Broker broker, ServiceProperties.Worker settings, EventFeed feed, List<HandlerCatalog> catalogs) {
        this.broker = broker;
        this.settings = settings;
        this.feed = feed;
        this.handlers = select(settings.topics(), catalogs);
    }

    private static Map<String, TopicHandler<?>> select(List<String> configured, List<HandlerCatalog> catalogs) {
        Map<String, TopicHandler<?>> known = new LinkedHashMap<>();
        for (HandlerCatalog catalog : catalogs) {
            for (TopicHandler<?> h : catalog.handlers()) {
                if (known.putIfAbsent(h.topic(), h) != null) {
                    throw new IllegalStateException("Two handlers for topic '" + h.topic() + "'");
                }
            }
        }
        Map<String, TopicHandler<?>> selected = new LinkedHashMap<>();
        for (String topic : configured) {
            TopicHandler<?> h = known.get(topic);
            selected.put(topic, h != null ? h : DefaultHandler.of(topic));
        }
        known.values().stream().filter(TopicHandler::always).forEach(h -> selected.putIfAbsent(h.topic(), h));
        return selected;
    }

    /** The topics consumed, in start order. */
    public List<String> topics() {
        return List.copyOf(handlers.keySet());
    }

    @Override
    public synchronized void start() {
        if (pool != null) {
            return;
        }
        List<Worker<?>> workers = new ArrayList<>();
        handlers.values().forEach(h -> workers.add(worker(h)));
        pool = WorkerPool.of("worker-service", workers).start();
        LOG.info("Consuming {} topics on the {} broker: {}", workers.size(), broker.backend(), handlers.keySet());
    }

    private <T> Worker<T> worker(TopicHandler<T> h) {
        String topic = h.topic();
        Handler<T> handler = message -> Mono.defer(() -> h.body().handle(message))
                .defaultIfEmpty("handled")
                .doOnNext(did -> feed.record(topic, message.id(), message.attempt(), ProcessedEvent.Kind.HANDLED, did))
                .doOnError(e -> {
                    LOG.warn("[{}] attempt {} of message {} failed: {}", topic, message.attempt(), message.id(),
                            e.toString());
                    feed.record(topic, message.id(), message.attempt(), ProcessedEvent.Kind.ATTEMPT_FAILED,
                            e.getClass().getSimpleName() + ": " + e.getMessage());
                });
        WorkerOptions options = WorkerOptions.builder()
                .name(topic)
                .consumeOptions(ConsumeOptions.builder().prefetch(settings.prefetch()).dedupTtl(h.dedupTtl()).build())
                .handleOptions(HandleOptions.builder()
                        .concurrency(settings.concurrencyOf(topic))
                        .timeout(settings.handlerTimeout())
                        .retryPolicy(RetryPolicy.builder()
                                .maxAttempts(settings.maxAttempts())
                                .initialBackoff(settings.initialBackoff())
                                .build())
                        .build())
                .stopTimeout(settings.stopTimeout())
                .restartBackoff(min(WorkerOptions.DEFAULT_RESTART_BACKOFF, settings.maxRestartBackoff()),
                        settings.maxRestartBackoff())
                .build();
        return Worker.builder(broker.queue(topic, h.codec()), handler)
                .options(options)
                .onFailed(this::failed)
                .build();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void failed(Outcome<?> outcome) {
        String topic = outcome.message().topic();
        ProcessedEvent.Kind kind = switch (outcome.status()) {
            case RETRIED -> ProcessedEvent.Kind.RETRY_SCHEDULED;
            case DEAD_LETTERED -> ProcessedEvent.Kind.DEAD_LETTERED;
            default -> ProcessedEvent.Kind.UNSETTLED;
        };
        String detail = outcome.reason() != null ? outcome.reason() : outcome.status().name().toLowerCase();
        feed.record(topic, outcome.id(), outcome.attempts(), kind, detail);
        if (kind == ProcessedEvent.Kind.DEAD_LETTERED) {
            LOG.warn("[{}] message {} dead-lettered after {} attempts: {}", topic, outcome.id(), outcome.attempts(),
                    detail);
        }
    }

    /** Stops fetching on every topic and waits for in-flight work as the class comment says; blocks. */
    @Override
    public void stop() {
        stopAll().block();
    }

    @Override
    public void stop(Runnable callback) {
        stopAll().subscribe(null, e -> {
            LOG.warn("Stopping the workers failed", e);
            callback.run();
        }, callback);
    }

    private Mono<Void> stopAll() {
        WorkerPool p = pool;
        if (p == null) {
            return Mono.empty();
        }
        LOG.info("Stopping {} workers: no more fetching, in-flight work gets up to {}", p.workers().size(),
                settings.stopTimeout());
        return p.stop().doOnSuccess(v -> {
            WorkerStats s = p.stats();
            LOG.info("Workers stopped: {} messages completed, {} failed since start", s.completed(), s.failed());
        });
    }

    @Override
    public boolean isRunning() {
        WorkerPool p = pool;
        if (p == null) {
            return false;
        }
        Worker.Status s = p.stats().status();
        return s == Worker.Status.RUNNING || s == Worker.Status.STOPPING;
    }

    /** Every consumed topic's worker status, in start order; {@code NEW} before start. */
    public Map<String, Worker.Status> statuses() {
        Map<String, Worker.Status> out = new LinkedHashMap<>();
        WorkerPool p = pool;
        if (p == null) {
            handlers.keySet().forEach(t -> out.put(t, Worker.Status.NEW));
            return out;
        }
        p.workers().forEach(w -> out.put(w.name(), w.status()));
        return out;
    }

    /** The workers' counters summed. */
    public WorkerStats stats() {
        WorkerPool p = pool;
        return p == null ? new WorkerStats("worker-service", Worker.Status.NEW, handlers.size(), 0, 0, 0, 0, 0) : p.stats();
    }

    /** One topic's worker counters, or {@code null} if the topic is not consumed or not started. */
    public WorkerStats stats(String topic) {
        WorkerPool p = pool;
        if (p == null) {
            return null;
        }
        return p.workers().stream().filter(w -> w.name().equals(topic)).findFirst().map(Worker::stats).orElse(null);
    }
}
