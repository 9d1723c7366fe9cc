package io.rivulet.rabbit.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import io.rivulet.core.DeadLetter;
import io.rivulet.core.Message;
import io.rivulet.core.QueueStats;
import io.rivulet.core.spi.Backend;
import io.rivulet.core.spi.BackendDelivery;
import io.rivulet.core.spi.ReservedHeaders;
import io.rivulet.rabbit.RabbitOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * The RabbitMQ {@link Backend}: one auto-recovering connection, one confirm channel for every
 * publish, one channel per consumer, throwaway channels for admin calls. Blocking AMQP calls
 * (declarations, {@code basic.get}, purges, counts) run on {@code boundedElastic}.
 */
public final class RabbitBackend implements Backend {

    private final Connection connection;
    private final RabbitOptions options;
    private final Topology topology;
    private final ConfirmPublisher publisher;
    private final DedupKeys dedup;
    private final Map<String, Counters> counters = new ConcurrentHashMap<>();
    private final Map<String, Long> readyHints = new ConcurrentHashMap<>();
    private final Set<RabbitConsumer> consumers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Map<String, Set<Sinks.Empty<Void>>> deadLettering = new ConcurrentHashMap<>();

    /** Wraps an open connection (auto-recovery on); owns and closes it. */
    public RabbitBackend(Connection connection, RabbitOptions options) throws IOException {
        this.connection = connection;
        this.options = options;
        this.topology = new Topology(connection, options);
        this.publisher = new ConfirmPublisher(connection, options.address(), options.confirmTimeout());
        this.dedup = new DedupKeys(options.scheduler());
    }

    @Override
    public String name() {
        return "rabbit";
    }

    @Override
    public Scheduler scheduler() {
        return options.scheduler();
    }

    Connection connection() {
        return connection;
    }

    RabbitOptions options() {
        return options;
    }

    Counters counters(String topic) {
        return counters.computeIfAbsent(topic, t -> new Counters());
    }

    void register(RabbitConsumer c) {
        consumers.add(c);
    }

    void unregister(RabbitConsumer c) {
        consumers.remove(c);
    }

    @Override
    public Mono<Void> publish(Message<byte[]> message) {
        return topology.ensure(message.topic()).then(route(message, Math.max(1, message.attempt())));
    }

    /**
     * Publishes {@code m} to be delivered as attempt {@code attempt}: to the work queue when due,
     * else to the delay tier that fits the time left.
     */
    Mono<Void> route(Message<byte[]> m, int attempt) {
        return Mono.defer(() -> send(m.topic(), Envelopes.properties(m, attempt), m.payload(),
                m.availableAt() == null ? null : m.availableAt().toEpochMilli(), m.id()));
    }

    /** Routes a message that came back from a delay tier early to the next tier, unchanged. */
    Mono<Void> reroute(String topic, AMQP.BasicProperties props, byte[] body) {
        Map<String, Object> headers = new HashMap<>(props.getHeaders());
        headers.keySet().removeIf(h -> h.startsWith("x-"));
        AMQP.BasicProperties clean = props.builder().headers(headers).expiration(null).build();
        return send(topic, clean, body, Envelopes.availableAt(props), props.getMessageId());
    }

    private Mono<Void> send(String topic, AMQP.BasicProperties props, byte[] body, Long due, String id) {
        long now = scheduler().now(TimeUnit.MILLISECONDS);
        if (due == null || due <= now) {
            String exchange = topology.isFanOut(topic) ? Topology.exchange(topic) : "";
            return publisher.publish(exchange, topic, props, body, describe(id, topic));
        }
        long left = due - now;
        List<Duration> tiers = options.delayTiers();
        Duration tier = tiers.get(0);
        for (Duration t : tiers) {
            if (t.toMillis() <= left) {
                tier = t;
            }
        }
        AMQP.BasicProperties delayed = left < tier.toMillis()
                ? props.builder().expiration(Long.toString(left)).build()
                : props;
        return publisher.publish(Topology.tierQueue(topic, tier), delayed, body, describe(id, topic));
    }

    private static String describe(String id, String topic) {
        return "message " + id + " of '" + topic + "'";
    }

    Mono<Void> publishDeadLetter(DeadLetter dl) {
        Message<byte[]> m = dl.message();
        AMQP.BasicProperties props = Envelopes.properties(m, Math.max(1, m.attempt()), Envelopes.deadLetterHeaders(dl));
        return Mono.defer(() -> {
            Sinks.Empty<Void> done = Sinks.empty();
            Set<Sinks.Empty<Void>> inFlight = deadLettering.computeIfAbsent(m.topic(), t -> ConcurrentHashMap.newKeySet());
            inFlight.add(done);
            return publisher.publish(Topology.deadLetterQueue(m.topic()), props, m.payload(),
                            "dead letter " + m.id() + " of '" + m.topic() + "'")
                    .doFinally(sig -> {
                        inFlight.remove(done);
                        done.tryEmitEmpty();
                    });
        });
    }

    /**
     * Completes once the dead letters this broker is writing to the topic are stored, so that
     * listing right after a dead-letter settlement sees it (read your own writes).
     */
    private Mono<Void> deadLetteringDone(String topic) {
        Set<Sinks.Empty<Void>> inFlight = deadLettering.get(topic);
        if (inFlight == null || inFlight.isEmpty()) {
            return Mono.empty();
        }
        return Mono.when(inFlight.stream().map(Sinks.Empty::asMono).toList())
                .timeout(options.confirmTimeout(), Mono.empty());
    }

    @Override
    public Flux<BackendDelivery> consume(String topic, int prefetch) {
        int qos = Math.min(prefetch, options.prefetch());
        return topology.ensure(topic).thenMany(Flux.defer(() -> new RabbitConsumer(this, topic, qos).flux()))
                .onErrorResume(e -> closed.get() ? Flux.empty() : Flux.error(e));
    }

    boolean isClosed() {
        return closed.get();
    }

    @Override
    public Mono<QueueStats> stats(String topic) {
        return blocking(() -> {
            List<String> queues = topology.queues(topic);
            long[] n = counts(queues);
            long delayed = 0;
            for (int i = 2; i < n.length; i++) {
                delayed += n[i];
            }
            readyHints.put(topic, n[0]);
            Counters c = counters(topic);
            return new QueueStats(topic, n[0], Math.max(0, c.inFlight.sum()), delayed, n[1],
                    c.completed.sum(), c.failed.sum(), c.retried.sum());
        });
    }

    /** Ready messages of each queue (0 for a queue that does not exist). */
    private long[] counts(List<String> queues) throws IOException {
        long[] n = new long[queues.size()];
        Channel ch = connection.createChannel();
        try {
            for (int i = 0; i < n.length; i++) {
                try {
                    n[i] = ch.queueDeclarePassive(queues.get(i)).getMessageCount();
                } catch (IOException notFound) {
                    if (i == 0) {
                        break; // no work queue: a topic nobody declared, all zero
                    }
                    ch = connection.createChannel(); // a 404 closes the channel
                }
            }
        } finally {
            Topology.closeQuietly(ch);
        }
        return n;
    }

    @Override
    public long readyHint(String topic) {
        return readyHints.getOrDefault(topic, 0L);
    }

    @Override
    public Flux<String> topics() {
        return Flux.defer(() -> Flux.fromIterable(new ArrayList<>(topology.topics())).sort());
    }

    @Override
    public Mono<Long> clear(String topic) {
        return topology.ensure(topic).then(blocking(() -> {
            Channel ch = connection.createChannel();
            try {
                long n = ch.queuePurge(topic).getMessageCount();
                for (String tier : topology.tierQueues(topic)) {
                    n += ch.queuePurge(tier).getMessageCount();
                }
                return n;
            } finally {
                Topology.closeQuietly(ch);
            }
        }));
    }

    @Override
    public Flux<DeadLetter> deadLetters(String topic, int limit) {
        return deadLetteringDone(topic).then(blocking(() -> browse(topic, limit, null))).flatMapMany(Flux::fromIterable);
    }

    /**
     * Reads up to {@code limit} dead letters with {@code basic.get} (no auto-ack) and lets them go
     * back to the queue, in their order, when the channel closes. When {@code replayId} is set,
     * replays the one with that id instead and returns it alone.
     */
    private List<DeadLetter> browse(String topic, int limit, String replayId) throws Exception {
        List<DeadLetter> found = new ArrayList<>();
        Channel ch = connection.createChannel();
        try {
            while (found.size() < limit) {
                GetResponse r;
                try {
                    r = ch.basicGet(Topology.deadLetterQueue(topic), false);
                } catch (IOException notFound) {
                    break;
                }
                if (r == null) {
                    break;
                }
                DeadLetter dl = Envelopes.deadLetter(topic, r.getProps(), r.getBody());
                if (replayId == null) {
                    found.add(dl);
                } else if (replayId.equals(dl.id())) {
                    replay(dl).block();
                    ch.basicAck(r.getEnvelope().getDeliveryTag(), false);
                    found.add(dl);
                    break;
                }
            }
        } finally {
            Topology.closeQuietly(ch);
        }
        return found;
    }

    private Mono<Void> replay(DeadLetter dl) {
        Message<byte[]> back = ReservedHeaders.replayOf(dl);
        return publish(back);
    }

    @Override
    public Mono<Long> deadLetterCount(String topic) {
        return deadLetteringDone(topic).then(blocking(() -> counts(List.of(Topology.deadLetterQueue(topic)))[0]));
    }

    @Override
    public Mono<Boolean> replayDeadLetter(String topic, String id) {
        return deadLetteringDone(topic).then(blocking(() -> !browse(topic, Integer.MAX_VALUE, id).isEmpty()));
    }

    @Override
    public Mono<Long> replayAllDeadLetters(String topic) {
        return deadLetteringDone(topic).then(blocking(() -> {
            long n = 0;
            Channel ch = connection.createChannel();
            try {
                GetResponse r;
                while (true) {
                    try {
                        r = ch.basicGet(Topology.deadLetterQueue(topic), false);
                    } catch (IOException notFound) {
                        break;
                    }
                    if (r == null) {
                        break;
                    }
                    replay(Envelopes.deadLetter(topic, r.getProps(), r.getBody())).block();
                    ch.basicAck(r.getEnvelope().getDeliveryTag(), false);
                    n++;
                }
            } finally {
                Topology.closeQuietly(ch);
            }
            return n;
        }));
    }

    @Override
    public Mono<Long> purgeDeadLetters(String topic) {
        return blocking(() -> {
            Channel ch = connection.createChannel();
            try {
                return (long) ch.queuePurge(Topology.deadLetterQueue(topic)).getMessageCount();
            } catch (IOException notFound) {
                return 0L;
            } finally {
                Topology.closeQuietly(ch);
            }
        });
    }

    @Override
    public Mono<Boolean> setIfAbsent(String key, Duration ttl) {
        return Mono.fromSupplier(() -> dedup.setIfAbsent(key, ttl));
    }

    @Override
    public Mono<Boolean> exists(String key) {
        return Mono.fromSupplier(() -> dedup.exists(key));
    }

    @Override
    public Mono<Void> delete(String key) {
        return Mono.fromRunnable(() -> dedup.delete(key));
    }

    /** Deletes every queue of a topic (tests, tools). */
    public Mono<Void> deleteTopic(String topic) {
        return topology.delete(topic);
    }

    @Override
    public Mono<Void> close() {
        return Mono.defer(() -> {
            if (!closed.compareAndSet(false, true)) {
                return Mono.empty();
            }
            List<RabbitConsumer> open = new ArrayList<>(consumers);
            open.forEach(RabbitConsumer::complete);
            return blocking(() -> {
                for (RabbitConsumer c : open) {
                    try {
                        c.closeNow();
                    } catch (RuntimeException e) {
                        // closing the connection below closes its channel anyway
                    }
                }
                publisher.close();
                try {
                    connection.close(5_000);
                } catch (IOException | RuntimeException e) {
                    connection.abort(1_000); // already broken: nothing to hand back
                }
                return true;
            }).then();
        });
    }

    /**
     * Runs a blocking AMQP call on boundedElastic; while the connection is recovering the call is
     * tried again (up to the confirm timeout), so admin calls ride out a reconnect too.
     */
    private <T> Mono<T> blocking(java.util.concurrent.Callable<T> call) {
        return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic())
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(50)).maxBackoff(Duration.ofSeconds(1))
                        .filter(e -> !closed.get() && isConnectionLoss(e)))
                .timeout(options.confirmTimeout(), Mono.error(() -> new IllegalStateException("RabbitMQ at "
                        + options.address() + " did not answer within " + options.confirmTimeout()
                        + " (RabbitOptions.confirmTimeout): is the broker up?")));
    }

    static boolean isConnectionLoss(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ShutdownSignalException sig && sig.isHardError()) {
                return true;
            }
        }
        return false;
    }
}
