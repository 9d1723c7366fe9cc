package io.rivulet.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Named brokers with a default one, so an application can publish to "the orders broker" or
 * "the default broker" without passing brokers around.
 *
 * <p>The first broker registered becomes the default until {@link #setDefault(String)} picks
 * another. The registry does not create brokers: register ones you built. {@link #close()} closes
 * every registered broker.
 *
 * <p>Thread-safe: every method may be called from any thread; lookups never block on I/O.
 * {@code publishTo} resolves the broker when the returned {@link Mono} is subscribed, so an
 * unknown name or a closed registry is signalled through the {@code Mono}, while the lookup
 * methods throw directly.
 */
public final class BrokerRegistry {

    // Guarded by this; insertion order is registration order.
    private final Map<String, Broker> brokers = new LinkedHashMap<>();
    private String defaultName;
    private boolean closed;

    private BrokerRegistry() {
    }

    /** An empty registry. */
    public static BrokerRegistry create() {
        return new BrokerRegistry();
    }

    /**
     * Registers {@code broker} under {@code name}; the first one registered becomes the default.
     *
     * @return this registry, to register several in a row
     * @throws IllegalArgumentException if the name is blank or already registered
     * @throws IllegalStateException if the registry is closed
     */
    public synchronized BrokerRegistry register(String name, Broker broker) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(broker, "broker");
        if (name.isBlank()) {
            throw new IllegalArgumentException("BrokerRegistry.register: name must not be blank");
        }
        ensureOpen("register broker '" + name + "'");
        if (brokers.containsKey(name)) {
            throw new IllegalArgumentException("A broker named '" + name + "' is already registered; "
                    + "choose another name or use the registered one (known: " + brokers.keySet() + ")");
        }
        brokers.put(name, broker);
        if (defaultName == null) {
            defaultName = name;
        }
        return this;
    }

    /**
     * The broker registered under {@code name}.
     *
     * @throws IllegalArgumentException naming the known brokers if there is none by that name
     * @throws IllegalStateException if the registry is closed
     */
    public synchronized Broker broker(String name) {
        Objects.requireNonNull(name, "name");
        ensureOpen("look up broker '" + name + "'");
        Broker b = brokers.get(name);
        if (b == null) {
            throw new IllegalArgumentException("No broker named '" + name + "' in this registry (known: "
                    + brokers.keySet() + "): register it first with BrokerRegistry.register");
        }
        return b;
    }

    /**
     * The default broker: the first registered, or the one chosen with {@link #setDefault}.
     *
     * @throws IllegalStateException if no broker is registered or the registry is closed
     */
    public synchronized Broker defaultBroker() {
        ensureOpen("get the default broker");
        if (defaultName == null) {
            throw new IllegalStateException("BrokerRegistry has no brokers: register one first; "
                    + "the first one registered becomes the default");
        }
        return brokers.get(defaultName);
    }

    /**
     * Makes the broker registered under {@code name} the default.
     *
     * @throws IllegalArgumentException naming the known brokers if there is none by that name
     */
    public synchronized void setDefault(String name) {
        broker(name);
        defaultName = name;
    }

    /** The name of the default broker, or {@code null} while none is registered. */
    public synchronized String defaultName() {
        return defaultName;
    }

    /** The registered names in registration order (an immutable snapshot). */
    public synchronized List<String> names() {
        return List.copyOf(brokers.keySet());
    }

    /**
     * Publishes {@code payload} as a new message to {@code topic} on the broker named
     * {@code name}, encoded with {@code codec}. Lazy; an unknown name signals
     * {@link IllegalArgumentException}. Completes as {@link Queue#publish(Message)} does.
     */
    public <T> Mono<PublishResult> publishTo(String name, String topic, T payload, Codec<T> codec) {
        Objects.requireNonNull(payload, "payload");
        return publishTo(name, topic, Message.of(payload), codec);
    }

    /**
     * Publishes {@code message} to {@code topic} on the broker named {@code name}, encoded with
     * {@code codec}. Lazy; an unknown name signals {@link IllegalArgumentException}. Completes as
     * {@link Queue#publish(Message)} does.
     */
    public <T> Mono<PublishResult> publishTo(String name, String topic, Message<T> message, Codec<T> codec) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(codec, "codec");
        return Mono.defer(() -> broker(name).queue(topic, codec).publish(message));
    }

    /**
     * Publishes {@code payload} as a new JSON message (see {@link JsonCodec}) to {@code topic} on
     * the broker named {@code name}. Lazy; an unknown name signals {@link IllegalArgumentException}.
     */
    public <T> Mono<PublishResult> publishTo(String name, String topic, T payload, Class<T> type) {
        Objects.requireNonNull(type, "type");
        return publishTo(name, topic, payload, JsonCodec.of(type));
    }

    /**
     * Publishes {@code message} as JSON (see {@link JsonCodec}) to {@code topic} on the broker named
     * {@code name}. Lazy; an unknown name signals {@link IllegalArgumentException}.
     */
    public <T> Mono<PublishResult> publishTo(String name, String topic, Message<T> message, Class<T> type) {
        Objects.requireNonNull(type, "type");
        return publishTo(name, topic, message, JsonCodec.of(type));
    }

    /**
     * Closes every registered broker (all of them, even if some fail; the first failure is
     * signalled after the others closed) and empties the registry. Lazy and idempotent: later
     * calls complete at once. After it, every other method signals {@link IllegalStateException}.
     */
    public Mono<Void> close() {
        return Mono.defer(() -> {
            List<Broker> toClose;
            synchronized (this) {
                if (closed) {
                    return Mono.empty();
                }
                closed = true;
                toClose = new ArrayList<>(brokers.values());
                brokers.clear();
                defaultName = null;
            }
            return Mono.whenDelayError(toClose.stream().map(Broker::close).toList());
        });
    }

    /** Whether {@link #close()} was subscribed. */
    public synchronized boolean isClosed() {
        return closed;
    }

    // Guarded by this.
    private void ensureOpen(String action) {
        if (closed) {
            throw new IllegalStateException("Cannot " + action + ": the BrokerRegistry is closed");
        }
    }
}
