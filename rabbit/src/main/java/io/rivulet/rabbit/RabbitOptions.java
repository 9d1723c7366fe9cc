package io.rivulet.rabbit;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Immutable options of the RabbitMQ backend. Build with {@link #builder()}; every setting is
 * validated in {@link Builder#build()} with a message naming it.
 *
 * <p>Connection: either {@link Builder#uri(String)} ({@code amqp://user:pass@host:port/vhost} or
 * {@code amqps://...}) or the single settings. The password is never logged nor shown by
 * {@link #toString()}.
 */
public final class RabbitOptions {

    /** Default host: the loopback interface. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Default AMQP port (5671 is the TLS default, used when {@code tls} is on and no port is set). */
    public static final int DEFAULT_PORT = 5672;
    /** Default TLS port. */
    public static final int DEFAULT_TLS_PORT = 5671;
    /** Default virtual host. */
    public static final String DEFAULT_VIRTUAL_HOST = "/";
    /** Default user (RabbitMQ's out-of-the-box user, loopback only). */
    public static final String DEFAULT_USERNAME = "guest";
    /** Default password of {@link #DEFAULT_USERNAME}. */
    public static final String DEFAULT_PASSWORD = "guest";
    /** Default ceiling of a consumer's {@code basic.qos} prefetch (AMQP allows up to 65535). */
    public static final int DEFAULT_PREFETCH = 65_535;
    /** Default time a publish waits for the broker's confirm before it fails. */
    public static final Duration DEFAULT_CONFIRM_TIMEOUT = Duration.ofSeconds(30);
    /** Default time an unsettled delivery stays with its consumer before it is redelivered. */
    public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofMinutes(5);
    /** Default delay tiers: one TTL queue per tier and topic. */
    public static final List<Duration> DEFAULT_DELAY_TIERS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofHours(1));
    /** Default connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default wait between reconnection attempts after the connection was lost. */
    public static final Duration DEFAULT_RECOVERY_INTERVAL = Duration.ofSeconds(1);

    /** The kind of queue a topic gets. */
    public enum QueueType {
        /** Classic durable queues with {@code x-max-priority} 9: priorities 0–9 work. */
        CLASSIC,
        /**
         * Quorum queues (replicated, Raft): no per-message priority on RabbitMQ 3.x (it is
         * ignored); the broker's {@code x-delivery-count} counts attempts; an optional delivery
         * limit ({@link Builder#deliveryLimit(int)}) dead-letters a message redelivered too often.
         */
        QUORUM
    }

    private final String host;
    private final int port;
    private final String virtualHost;
    private final String username;
    private final String password;
    private final boolean tls;
    private final SSLContext sslContext;
    private final int prefetch;
    private final Duration confirmTimeout;
    private final Duration visibilityTimeout;
    private final QueueType queueType;
    private final int deliveryLimit;
    private final List<Duration> delayTiers;
    private final Duration connectTimeout;
    private final Duration recoveryInterval;
    private final String connectionName;
    private final Scheduler scheduler;
    private final Map<String, List<String>> fanOuts;

    private RabbitOptions(Builder b) {
        this.host = b.host;
        this.port = b.port > 0 ? b.port : (b.tls ? DEFAULT_TLS_PORT : DEFAULT_PORT);
        this.virtualHost = b.virtualHost;
        this.username = b.username;
        this.password = b.password;
        this.tls = b.tls;
        this.sslContext = b.sslContext;
        this.prefetch = b.prefetch;
        this.confirmTimeout = b.confirmTimeout;
        this.visibilityTimeout = b.visibilityTimeout;
        this.queueType = b.queueType;
        this.deliveryLimit = b.deliveryLimit;
        this.delayTiers = b.delayTiers.stream().sorted().toList();
        this.connectTimeout = b.connectTimeout;
        this.recoveryInterval = b.recoveryInterval;
        this.connectionName = b.connectionName;
        this.scheduler = b.scheduler;
        this.fanOuts = Map.copyOf(b.fanOuts);
    }

    /** The defaults: guest/guest on 127.0.0.1:5672, virtual host {@code /}, classic queues. */
    public static RabbitOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder mutate() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.virtualHost = virtualHost;
        b.username = username;
        b.password = password;
        b.tls = tls;
        b.sslContext = sslContext;
        b.prefetch = prefetch;
        b.confirmTimeout = confirmTimeout;
        b.visibilityTimeout = visibilityTimeout;
        b.queueType = queueType;
        b.deliveryLimit = deliveryLimit;
        b.delayTiers = delayTiers;
        b.connectTimeout = connectTimeout;
        b.recoveryInterval = recoveryInterval;
        b.connectionName = connectionName;
        b.scheduler = scheduler;
        b.fanOuts.putAll(fanOuts);
        return b;
    }

    /** The broker's host name or address. */
    public String host() {
        return host;
    }

    /** The broker's port. */
    public int port() {
        return port;
    }

    /** The virtual host. */
    public String virtualHost() {
        return virtualHost;
    }

    /** The user name. */
    public String username() {
        return username;
    }

    /** The password; never logged. */
    public String password() {
        return password;
    }

    /** Whether the connection uses TLS. */
    public boolean tls() {
        return tls;
    }

    /** The TLS context, or {@code null} for the JVM's default trust store (only used with {@link #tls()}). */
    public SSLContext sslContext() {
        return sslContext;
    }

    /** The ceiling of each consumer's {@code basic.qos}: a consumer's prefetch is the smaller of this and its own. */
    public int prefetch() {
        return prefetch;
    }

    /** How long a publish waits for the broker's confirm before it fails. */
    public Duration confirmTimeout() {
        return confirmTimeout;
    }

    /** How long an unsettled delivery stays with its consumer before it is redelivered. */
    public Duration visibilityTimeout() {
        return visibilityTimeout;
    }

    /** The kind of queue each topic (and its dead letters) gets. */
    public QueueType queueType() {
        return queueType;
    }

    /** For quorum queues: the broker's {@code x-delivery-limit}, 0 for none. */
    public int deliveryLimit() {
        return deliveryLimit;
    }

    /** The delay tiers, shortest first. */
    public List<Duration> delayTiers() {
        return delayTiers;
    }

    /** How long opening the connection may take. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** How long to wait between reconnection attempts after the connection was lost. */
    public Duration recoveryInterval() {
        return recoveryInterval;
    }

    /** The connection's name as the broker shows it ({@code rabbitmqctl list_connections name}). */
    public String connectionName() {
        return connectionName;
    }

    /** The clock and timers (delays, visibility timeouts, dedup TTLs). */
    public Scheduler scheduler() {
        return scheduler;
    }

    /**
     * The fan-out topics and their subscriber groups: publishing to such a topic reaches every
     * group's queue {@code <topic>.<group>} (itself a topic to consume, with its own dead letters
     * and delays), instead of one work queue.
     */
    public Map<String, List<String>> fanOuts() {
        return fanOuts;
    }

    /** Where this connects to, without credentials: {@code amqp://host:port/vhost}. */
    public String address() {
        return (tls ? "amqps" : "amqp") + "://" + host + ":" + port + "/"
                + (virtualHost.equals("/") ? "" : virtualHost);
    }

    @Override
    public String toString() {
        return "RabbitOptions{" + address() + ", user=" + username + ", queueType=" + queueType
                + ", delayTiers=" + delayTiers + "}";
    }

    /** Builder for {@link RabbitOptions}; not thread-safe. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port;
        private String virtualHost = DEFAULT_VIRTUAL_HOST;
        private String username = DEFAULT_USERNAME;
        private String password = DEFAULT_PASSWORD;
        private boolean tls;
        private SSLContext sslContext;
        private int prefetch = DEFAULT_PREFETCH;
        private Duration confirmTimeout = DEFAULT_CONFIRM_TIMEOUT;
        private Duration visibilityTimeout = DEFAULT_VISIBILITY_TIMEOUT;
        private QueueType queueType = QueueType.CLASSIC;
        private int deliveryLimit;
        private List<Duration> delayTiers = DEFAULT_DELAY_TIERS;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration recoveryInterval = DEFAULT_RECOVERY_INTERVAL;
        private String connectionName = "rivulet";
        private Scheduler scheduler = Schedulers.parallel();
        private final Map<String, List<String>> fanOuts = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets host, port, virtual host, user, password and TLS from an AMQP URI
         * ({@code amqp://user:pass@host:5672/vhost}, {@code amqps://} for TLS; parts left out keep
         * their current value; the virtual host is URL-decoded, {@code %2F} is {@code /}).
         */
        public Builder uri(String uri) {
            Objects.requireNonNull(uri, "uri");
            URI u;
            try {
                u = new URI(uri);
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("RabbitOptions.uri is not a valid URI: " + e.getReason(), e);
            }
            String scheme = u.getScheme();
            if (!"amqp".equalsIgnoreCase(scheme) && !"amqps".equalsIgnoreCase(scheme)) {
                throw new IllegalArgumentException("RabbitOptions.uri must start with amqp:// or amqps://, was '"
                        + scheme + "://...'");
            }
            tls = "amqps".equalsIgnoreCase(scheme);
            if (u.getHost() != null) {
                host = u.getHost();
            }
            if (u.getPort() > 0) {
                port = u.getPort();
            }
            if (u.getRawUserInfo() != null) {
                String[] parts = u.getRawUserInfo().split(":", 2);
                username = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
                if (parts.length > 1) {
                    password = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
                }
            }
            String path = u.getRawPath();
            if (path != null && path.length() > 1) {
                virtualHost = URLDecoder.decode(path.substring(1), StandardCharsets.UTF_8);
            }
            return this;
        }

        /** Sets the host. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** Sets the port (1–65535); unset means 5672, or 5671 with TLS. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Sets the virtual host; it must exist on the broker. */
        public Builder virtualHost(String virtualHost) {
            this.virtualHost = virtualHost;
            return this;
        }

        /** Sets the user name. */
        public Builder username(String username) {
            this.username = username;
            return this;
        }

        /** Sets the password. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** Turns TLS on or off (default trust store unless {@link #sslContext} is set). */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /** Sets the TLS context and turns TLS on. */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
            this.tls = true;
            return this;
        }

        /** Sets the ceiling of each consumer's prefetch (1–65535). */
        public Builder prefetch(int prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        /** Sets how long a publish waits for its confirm (positive). */
        public Builder confirmTimeout(Duration confirmTimeout) {
            this.confirmTimeout = confirmTimeout;
            return this;
        }

        /** Sets how long an unsettled delivery stays with its consumer (positive). */
        public Builder visibilityTimeout(Duration visibilityTimeout) {
            this.visibilityTimeout = visibilityTimeout;
            return this;
        }

        /** Sets the queue type. */
        public Builder queueType(QueueType queueType) {
            this.queueType = queueType;
            return this;
        }

        /** For quorum queues: dead-letter a message after this many redeliveries; 0 for no limit. */
        public Builder deliveryLimit(int deliveryLimit) {
            this.deliveryLimit = deliveryLimit;
            return this;
        }

        /** Sets the delay tiers (at least one, each between 1 ms and 24 h, no duplicates). */
        public Builder delayTiers(List<Duration> delayTiers) {
            this.delayTiers = delayTiers == null ? null : List.copyOf(delayTiers);
            return this;
        }

        /** Sets the connect timeout (positive). */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** Sets the wait between reconnection attempts (positive). */
        public Builder recoveryInterval(Duration recoveryInterval) {
            this.recoveryInterval = recoveryInterval;
            return this;
        }

        /** Sets the connection name the broker shows. */
        public Builder connectionName(String connectionName) {
            this.connectionName = connectionName;
            return this;
        }

        /**
         * Makes {@code topic} a fan-out topic with subscriber groups: RabbitMQ gets a fanout
         * exchange {@code rivulet.fanout.<topic>} with one durable queue per group, named
         * {@code <topic>.<group>}; each message published to {@code topic} goes to every group, and
         * consumers of one group ({@code broker.queue("<topic>.<group>", ...)}) compete for it.
         * Group names: letters, digits, {@code _} and {@code -}.
         */
        public Builder fanOut(String topic, String... groups) {
            Objects.requireNonNull(topic, "topic");
            if (groups == null || groups.length == 0) {
                throw new IllegalArgumentException("RabbitOptions.fanOut('" + topic + "') needs at least one group");
            }
            for (String g : groups) {
                if (g == null || !g.matches("[A-Za-z0-9_-]{1,100}")) {
                    throw new IllegalArgumentException("RabbitOptions.fanOut('" + topic + "'): group '" + g
                            + "' must be letters, digits, '_' or '-', e.g. billing");
                }
            }
            fanOuts.put(topic, List.of(groups));
            return this;
        }

        /** Sets the scheduler for the clock and timers. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /** Validates and builds. */
        public RabbitOptions build() {
            requireText(host, "host");
            requireText(virtualHost, "virtualHost");
            requireText(username, "username");
            Objects.requireNonNull(password, "RabbitOptions.password must not be null");
            requireText(connectionName, "connectionName");
            Objects.requireNonNull(scheduler, "RabbitOptions.scheduler must not be null");
            Objects.requireNonNull(queueType, "RabbitOptions.queueType must not be null");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("RabbitOptions.port must be between 1 and 65535, was " + port);
            }
            if (prefetch < 1 || prefetch > 65_535) {
                throw new IllegalArgumentException("RabbitOptions.prefetch must be between 1 and 65535, was " + prefetch);
            }
            if (deliveryLimit < 0) {
                throw new IllegalArgumentException("RabbitOptions.deliveryLimit must be >= 0, was " + deliveryLimit);
            }
            if (deliveryLimit > 0 && queueType != QueueType.QUORUM) {
                throw new IllegalArgumentException("RabbitOptions.deliveryLimit needs queueType QUORUM"
                        + " (classic queues have no delivery limit)");
            }
            requirePositive(confirmTimeout, "confirmTimeout");
            requirePositive(visibilityTimeout, "visibilityTimeout");
            requirePositive(connectTimeout, "connectTimeout");
            requirePositive(recoveryInterval, "recoveryInterval");
            if (delayTiers == null || delayTiers.isEmpty()) {
                throw new IllegalArgumentException("RabbitOptions.delayTiers needs at least one tier, e.g. 1s");
            }
            for (Duration tier : delayTiers) {
                if (tier == null || tier.toMillis() < 1 || tier.compareTo(Duration.ofHours(24)) > 0) {
                    throw new IllegalArgumentException("RabbitOptions.delayTiers: each tier must be between 1 ms"
                            + " and 24 h, was " + tier);
                }
            }
            if (delayTiers.stream().map(Duration::toMillis).distinct().count() != delayTiers.size()) {
                throw new IllegalArgumentException("RabbitOptions.delayTiers has duplicates: " + delayTiers);
            }
            return new RabbitOptions(this);
        }

        private static void requireText(String value, String name) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("RabbitOptions." + name + " must not be blank");
            }
        }

        private static void requirePositive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("RabbitOptions." + name + " must be positive, was " + d);
            }
        }
    }
}
