package io.rivulet.rabbit.internal;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.rivulet.rabbit.RabbitOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.rabbitmq.BindingSpecification;
import reactor.rabbitmq.ExchangeSpecification;
import reactor.rabbitmq.QueueSpecification;
import reactor.rabbitmq.RabbitFlux;
import reactor.rabbitmq.ResourceManagementOptions;
import reactor.rabbitmq.Sender;
import reactor.rabbitmq.SenderOptions;

/**
 * The queues of each topic and their declaration: the work queue {@code <topic>} (durable,
 * dead-lettering to {@code <topic>.dlq}), the dead letters {@code <topic>.dlq}, and one TTL queue
 * {@code <topic>.delay.<ms>ms} per delay tier that dead-letters back into the work queue.
 *
 * <p>Declarations go through Reactor RabbitMQ's {@link Sender}, each on a fresh channel that is
 * closed afterwards, so a refused declaration (a queue that exists with other arguments) cannot
 * break a shared channel. A topic is declared once per backend; a failed declaration is tried
 * again on next use.
 */
final class Topology {

    private final Connection connection;
    private final RabbitOptions options;
    private final Sender sender;
    private final Map<String, Mono<Void>> declared = new ConcurrentHashMap<>();
    private final Set<String> ready = ConcurrentHashMap.newKeySet();

    Topology(Connection connection, RabbitOptions options) {
        this.connection = connection;
        this.options = options;
        this.sender = RabbitFlux.createSender(new SenderOptions()
                .connectionMono(Mono.just(connection))
                .resourceManagementScheduler(Schedulers.boundedElastic()));
    }

    /** The fanout exchange of a fan-out topic. */
    static String exchange(String topic) {
        return "rivulet.fanout." + topic;
    }

    /** Whether publishing to the topic goes to its fanout exchange (it has subscriber groups). */
    boolean isFanOut(String topic) {
        return options.fanOuts().containsKey(topic);
    }

    static String deadLetterQueue(String topic) {
        return topic + ".dlq";
    }

    static String tierQueue(String topic, Duration tier) {
        return topic + ".delay." + tier.toMillis() + "ms";
    }

    List<String> tierQueues(String topic) {
        return options.delayTiers().stream().map(t -> tierQueue(topic, t)).toList();
    }

    /** Every queue of a topic: work queue, dead letters, delay tiers. */
    List<String> queues(String topic) {
        List<String> all = new java.util.ArrayList<>();
        all.add(topic);
        all.add(deadLetterQueue(topic));
        all.addAll(tierQueues(topic));
        return all;
    }

    /** Topics this backend declared or used. */
    Set<String> topics() {
        return declared.keySet();
    }

    /** Makes sure the topic's queues exist; declared once per backend. */
    Mono<Void> ensure(String topic) {
        if (ready.contains(topic)) {
            return Mono.empty(); // the common case, without subscribing to the cached declaration
        }
        Mono<Void> m = declared.get(topic);
        if (m != null) {
            return m;
        }
        Mono<Void> declaration = declare(topic)
                .doOnSuccess(v -> ready.add(topic))
                .doOnError(e -> declared.remove(topic))
                .cache(v -> Duration.ofMillis(Long.MAX_VALUE), e -> Duration.ZERO, () -> Duration.ofMillis(Long.MAX_VALUE));
        Mono<Void> prior = declared.putIfAbsent(topic, declaration);
        return prior != null ? prior : declaration;
    }

    private Mono<Void> declare(String topic) {
        List<String> groups = options.fanOuts().get(topic);
        if (groups != null) {
            // The exchange, then each group's queues bound to it, then the topic's own delay tiers.
            return declareExchange(topic)
                    .thenMany(Flux.fromIterable(groups).concatMap(g -> ensure(topic + "." + g)))
                    .then(declareQueues(topic));
        }
        String fanOut = fanOutOf(topic);
        if (fanOut != null) {
            // A group's queue: declared and bound even if this process never publishes to the topic.
            return declareQueues(topic).then(declareExchange(fanOut)).then(withChannel(topic, on ->
                    sender.bindQueue(BindingSpecification.binding(exchange(fanOut), fanOut, topic), on).then()));
        }
        return declareQueues(topic);
    }

    /** The fan-out topic whose subscriber group {@code topic} is, or {@code null}. */
    private String fanOutOf(String topic) {
        for (Map.Entry<String, List<String>> e : options.fanOuts().entrySet()) {
            for (String g : e.getValue()) {
                if (topic.equals(e.getKey() + "." + g)) {
                    return e.getKey();
                }
            }
        }
        return null;
    }

    private Mono<Void> declareExchange(String topic) {
        return withChannel(topic, on -> sender.declareExchange(
                ExchangeSpecification.exchange(exchange(topic)).type("fanout").durable(true), on).then());
    }

    private Mono<Void> declareQueues(String topic) {
        return withChannel(topic, on -> Flux.fromIterable(specifications(topic))
                .concatMap(spec -> sender.declareQueue(spec, on)).then());
    }

    private Mono<Void> withChannel(String topic,
            java.util.function.Function<ResourceManagementOptions, Mono<Void>> declarations) {
        return Mono.usingWhen(
                Mono.fromCallable(connection::createChannel).subscribeOn(Schedulers.boundedElastic()),
                channel -> declarations.apply(new ResourceManagementOptions().channelMono(Mono.just(channel))),
                channel -> Mono.fromRunnable(() -> closeQuietly(channel)).subscribeOn(Schedulers.boundedElastic()))
                .onErrorMap(e -> new IllegalStateException("RabbitMQ at " + options.address()
                        + " refused to declare the queues of topic '" + topic + "': " + rootMessage(e)
                        + ". A queue of that name may exist with other arguments (another queue type or"
                        + " delay tiers): delete it or use another topic", e));
    }

    private List<QueueSpecification> specifications(String topic) {
        List<QueueSpecification> specs = new java.util.ArrayList<>();
        Map<String, Object> work = queueTypeArguments();
        work.put("x-dead-letter-exchange", "");
        work.put("x-dead-letter-routing-key", deadLetterQueue(topic));
        if (options.queueType() == RabbitOptions.QueueType.CLASSIC) {
            work.put("x-max-priority", 9);
        } else if (options.deliveryLimit() > 0) {
            work.put("x-delivery-limit", options.deliveryLimit());
        }
        specs.add(QueueSpecification.queue(topic).durable(true).arguments(work));
        specs.add(QueueSpecification.queue(deadLetterQueue(topic)).durable(true).arguments(queueTypeArguments()));
        for (Duration tier : options.delayTiers()) {
            Map<String, Object> args = new HashMap<>();
            args.put("x-message-ttl", tier.toMillis());
            // A fan-out topic's delayed messages go to every group when due.
            args.put("x-dead-letter-exchange", isFanOut(topic) ? exchange(topic) : "");
            args.put("x-dead-letter-routing-key", topic);
            specs.add(QueueSpecification.queue(tierQueue(topic, tier)).durable(true).arguments(args));
        }
        return specs;
    }

    private Map<String, Object> queueTypeArguments() {
        Map<String, Object> args = new HashMap<>();
        args.put("x-queue-type", options.queueType() == RabbitOptions.QueueType.QUORUM ? "quorum" : "classic");
        return args;
    }

    /** Deletes every queue of the topic (for tests and tools); forgets it was declared. */
    Mono<Void> delete(String topic) {
        ready.remove(topic);
        declared.remove(topic);
        return Flux.fromIterable(queues(topic))
                .concatMap(q -> Mono.fromCallable(() -> {
                    Channel ch = connection.createChannel();
                    try {
                        ch.queueDelete(q);
                    } finally {
                        closeQuietly(ch);
                    }
                    return q;
                }).subscribeOn(Schedulers.boundedElastic()))
                .then();
    }

    /** Ready messages of a queue, 0 if it does not exist (checked on a throwaway channel). */
    long count(String queue) throws IOException {
        Channel ch = connection.createChannel();
        try {
            return ch.queueDeclarePassive(queue).getMessageCount();
        } catch (IOException e) {
            return 0; // 404: the queue does not exist, the channel is already closed
        } finally {
            closeQuietly(ch);
        }
    }

    static void closeQuietly(Channel ch) {
        try {
            if (ch.isOpen()) {
                ch.close();
            }
        } catch (Exception e) {
            // already closing
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
