package io.rivulet.rabbit;

import com.rabbitmq.client.Connection;
import io.rivulet.core.Broker;
import io.rivulet.core.BrokerOptions;
import io.rivulet.core.Brokers;
import io.rivulet.rabbit.internal.Connections;
import io.rivulet.rabbit.internal.RabbitBackend;
import java.io.IOException;

/**
 * Creates brokers on RabbitMQ: a durable queue per topic, persistent messages, publisher
 * confirms (a publish completes once the broker confirmed it; a nack or a return fails it),
 * {@code basic.qos} prefetch as backpressure, manual acks, delays through per-tier TTL queues,
 * dead letters in {@code <topic>.dlq}, priorities through {@code x-max-priority}, quorum queues as
 * an option.
 *
 * <p>The connection recovers by itself when the broker closes it or restarts: publishes waiting
 * for a confirm are sent again, consumers resume, and unacknowledged messages come back as their
 * next attempt (at least once). See {@code docs/rabbit.md} for the mapping and its limits.
 */
public final class RabbitBroker {

    private RabbitBroker() {
    }

    /**
     * Connects and returns a broker; blocks until the connection is open (call it at start-up,
     * not on a Reactor thread).
     *
     * @throws RabbitConnectException when the broker is unreachable, refuses the login or lacks the
     *     virtual host; the message names the option to check
     */
    public static Broker create(RabbitOptions options) {
        return create(options, BrokerOptions.defaults());
    }

    /** As {@link #create(RabbitOptions)}, with broker options (name, codec defaults, metrics). */
    public static Broker create(RabbitOptions options, BrokerOptions brokerOptions) {
        java.util.Objects.requireNonNull(options, "options");
        java.util.Objects.requireNonNull(brokerOptions, "brokerOptions");
        Connection connection = Connections.open(options);
        try {
            return Brokers.create(new RabbitBackend(connection, options), brokerOptions);
        } catch (IOException e) {
            try {
                connection.close();
            } catch (IOException | RuntimeException ignored) {
                // reporting the first failure
            }
            throw new RabbitConnectException("RabbitMQ at " + options.address()
                    + " refused to open a publishing channel: " + e.getMessage(), e);
        }
    }
}
