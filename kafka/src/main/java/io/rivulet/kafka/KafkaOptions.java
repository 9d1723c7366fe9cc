package io.rivulet.kafka;

import io.rivulet.core.internal.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Immutable options of the Kafka backend. Build with {@link #builder()}; {@link #build()}
 * validates every setting and names the one that is wrong. {@link #toString()} never shows the
 * SASL password or TLS store passwords.
 */
public final class KafkaOptions {

    /** Default prefix of consumer group ids: a queue's group is {@code <consumerGroup>.<topic>}. */
    public static final String DEFAULT_CONSUMER_GROUP = "rivulet";
    /** Default: topics (and their {@code .dlq} and delay companions) are created when first used. */
    public static final boolean DEFAULT_AUTO_CREATE_TOPICS = true;
    /** Default partitions of created topics: one, so that a queue keeps its publish order. */
    public static final int DEFAULT_PARTITIONS = 1;
    /** Default replication factor of created topics: {@code -1}, the broker's {@code default.replication.factor}. */
    public static final short DEFAULT_REPLICATION_FACTOR = -1;
    /** Default number of records a topic consumer fetches ahead ({@code max.poll.records}, local buffer). */
    public static final int DEFAULT_PREFETCH = 500;
    /** Default delay tiers: one delay topic per tier and queue. */
    public static final List<Duration> DEFAULT_DELAY_TIERS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(10),
            Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofHours(1));
    /** Default time an unsettled delivery stays with its consumer before it is handed out again. */
    public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);
    /** Default bound of every call to Kafka (metadata, admin, produce acknowledgement). */
    public static final Duration DEFAULT_API_TIMEOUT = Duration.ofSeconds(30);


    private final String bootstrapServers;
    private final Map<String, String> clientProperties;
    private final String saslMechanism;
    private final String saslUsername;
    private final String saslPassword;
    private final boolean tls;
    private final String truststoreLocation;
    private final String truststorePassword;
    private final String consumerGroup;
    private final boolean autoCreateTopics;
    private final int partitions;
    private final short replicationFactor;
    private final int prefetch;
    private final List<Duration> delayTiers;
    private final Duration visibilityTimeout;
    private final Duration apiTimeout;
    private final Scheduler scheduler;

    private KafkaOptions(Builder b) {
        this.bootstrapServers = b.bootstrapServers;
        this.clientProperties = Collections.unmodifiableMap(new LinkedHashMap<>(b.clientProperties));
        this.saslMechanism = b.saslMechanism;
        this.saslUsername = b.saslUsername;
        this.saslPassword = b.saslPassword;
        this.tls = b.tls;
        this.truststoreLocation = b.truststoreLocation;
        this.truststorePassword = b.truststorePassword;
        this.consumerGroup = b.consumerGroup;
        this.autoCreateTopics = b.autoCreateTopics;
        this.partitions = b.partitions;
        this.replicationFactor = b.replicationFactor;
        this.prefetch = b.prefetch;
        List<Duration> tiers = new ArrayList<>(b.delayTiers);
        Collections.sort(tiers);
        this.delayTiers = List.copyOf(tiers);
        this.visibilityTimeout = b.visibilityTimeout;
        this.apiTimeout = b.apiTimeout;
        this.scheduler = b.scheduler;
    }

    /** A builder; {@link Builder#bootstrapServers} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder mutate() {
        Builder b = new Builder();
        b.bootstrapServers = bootstrapServers;
        b.clientProperties.putAll(clientProperties);
        b.saslMechanism = saslMechanism;
        b.saslUsername = saslUsername;
        b.saslPassword = saslPassword;
        b.tls = tls;
        b.truststoreLocation = truststoreLocation;
        b.truststorePassword = truststorePassword;
        b.consumerGroup = consumerGroup;
        b.autoCreateTopics = autoCreateTopics;
        b.partitions = partitions;
        b.replicationFactor = replicationFactor;
        b.prefetch = prefetch;
        b.delayTiers = new ArrayList<>(delayTiers);
        b.visibilityTimeout = visibilityTimeout;
        b.apiTimeout = apiTimeout;
        b.scheduler = scheduler;
        return b;
    }

    /** {@code host:port[,host:port...]} of the Kafka brokers. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Properties passed as-is to every Kafka client (producer, consumers, admin), applied after
     * Rivulet's own, so they win: e.g. {@code compression.type}, {@code linger.ms},
     * {@code session.timeout.ms}.
     */
    public Map<String, String> clientProperties() {
        return clientProperties;
    }

    /** The SASL mechanism ({@code PLAIN}, {@code SCRAM-SHA-256}, {@code SCRAM-SHA-512}), or {@code null} for none. */
    public String saslMechanism() {
        return saslMechanism;
    }

    /** The SASL user name, or {@code null}. */
    public String saslUsername() {
        return saslUsername;
    }

    /** The SASL password, or {@code null}. Never logged. */
    public String saslPassword() {
        return saslPassword;
    }

    /** Whether connections use TLS. */
    public boolean tls() {
        return tls;
    }

    /** The TLS truststore file, or {@code null} for the JVM's default trust. */
    public String truststoreLocation() {
        return truststoreLocation;
    }

    /** The TLS truststore password, or {@code null}. Never logged. */
    public String truststorePassword() {
        return truststorePassword;
    }

    /** The prefix of consumer group ids; brokers with different prefixes each get every message (fan-out). */
    public String consumerGroup() {
        return consumerGroup;
    }

    /** Whether missing topics are created (with {@link #partitions()} and {@link #replicationFactor()}). */
    public boolean autoCreateTopics() {
        return autoCreateTopics;
    }

    /** Partitions of topics Rivulet creates. */
    public int partitions() {
        return partitions;
    }

    /** Replication factor of topics Rivulet creates; {@code -1} for the broker's default. */
    public short replicationFactor() {
        return replicationFactor;
    }

    /** Records a topic consumer fetches ahead of demand. */
    public int prefetch() {
        return prefetch;
    }

    /** The delay tiers, shortest first. */
    public List<Duration> delayTiers() {
        return delayTiers;
    }

    /** How long an unsettled delivery stays with its consumer before it is handed out again. */
    public Duration visibilityTimeout() {
        return visibilityTimeout;
    }

    /** Bound of every call to Kafka. */
    public Duration apiTimeout() {
        return apiTimeout;
    }

    /** Clock and timers (delays, visibility timeouts, dedup TTLs). */
    public Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public String toString() {
        return "KafkaOptions{bootstrapServers=" + bootstrapServers + ", consumerGroup=" + consumerGroup
                + ", sasl=" + (saslMechanism == null ? "off" : saslMechanism + " as '" + saslUsername + "'")
                + ", tls=" + tls + ", autoCreateTopics=" + autoCreateTopics + ", partitions=" + partitions
                + ", replicationFactor=" + replicationFactor + ", prefetch=" + prefetch
                + ", delayTiers=" + delayTiers + ", visibilityTimeout=" + visibilityTimeout
                + ", apiTimeout=" + apiTimeout + ", clientProperties=" + clientProperties.keySet() + "}";
    }

    /** Builder for {@link KafkaOptions}. Not thread-safe. */
    public static final class Builder {
        private String bootstrapServers;
        private final Map<String, String> clientProperties = new LinkedHashMap<>();
        private String saslMechanism;
        private String saslUsername;
        private String saslPassword;
        private boolean tls;
        private String truststoreLocation;
        private String truststorePassword;
        private String consumerGroup = DEFAULT_CONSUMER_GROUP;
        private boolean autoCreateTopics = DEFAULT_AUTO_CREATE_TOPICS;
        private int partitions = DEFAULT_PARTITIONS;
        private short replicationFactor = DEFAULT_REPLICATION_FACTOR;
        private int prefetch = DEFAULT_PREFETCH;
        private List<Duration> delayTiers = new ArrayList<>(DEFAULT_DELAY_TIERS);
        private Duration visibilityTimeout = DEFAULT_VISIBILITY_TIMEOUT;
        private Duration apiTimeout = DEFAULT_API_TIMEOUT;
        private Scheduler scheduler = Schedulers.parallel();

        private Builder() {
        }

        /** Sets {@code host:port[,host:port...]} of the brokers; required. */
        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        /** Adds a property passed to every Kafka client; it overrides Rivulet's value for the same key. */
        public Builder clientProperty(String name, String value) {
            clientProperties.put(Objects.requireNonNull(name, "KafkaOptions.clientProperty name"),
                    Objects.requireNonNull(value, "KafkaOptions.clientProperty value"));
            return this;
        }

        /** Authenticates with SASL ({@code PLAIN}, {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}). */
        public Builder sasl(String mechanism, String username, String password) {
            this.saslMechanism = mechanism;
            this.saslUsername = username;
            this.saslPassword = password;
            return this;
        }

        /** Connects with TLS, trusting the JVM's default certificates. */
        public Builder tls() {
            this.tls = true;
            return this;
        }

        /** Connects with TLS, trusting the certificates of a truststore file (JKS or PKCS12). */
        public Builder tls(String truststoreLocation, String truststorePassword) {
            this.tls = true;
            this.truststoreLocation = truststoreLocation;
            this.truststorePassword = truststorePassword;
            return this;
        }

        /** Sets the consumer group prefix. */
        public Builder consumerGroup(String consumerGroup) {
            this.consumerGroup = consumerGroup;
            return this;
        }

        /** Sets whether missing topics are created; off: using one fails with a clear error. */
        public Builder autoCreateTopics(boolean autoCreateTopics) {
            this.autoCreateTopics = autoCreateTopics;
            return this;
        }

        /** Sets the partitions of created topics; at least 1. */
        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        /** Sets the replication factor of created topics; at least 1, or -1 for the broker's default. */
        public Builder replicationFactor(int replicationFactor) {
            if (replicationFactor < -1 || replicationFactor == 0 || replicationFactor > Short.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "KafkaOptions.replicationFactor must be >= 1 or -1 (broker default), was " + replicationFactor);
            }
            this.replicationFactor = (short) replicationFactor;
            return this;
        }

        /** Sets how many records a topic consumer fetches ahead; 1 to 100,000. */
        public Builder prefetch(int prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        /** Sets the delay tiers (each a delay topic per queue); at least one, each positive. */
        public Builder delayTiers(Duration... tiers) {
            this.delayTiers = new ArrayList<>(List.of(tiers));
            return this;
        }

        /** Sets how long an unsettled delivery stays with its consumer; positive. */
        public Builder visibilityTimeout(Duration visibilityTimeout) {
            this.visibilityTimeout = visibilityTimeout;
            return this;
        }

        /** Sets the bound of every call to Kafka; positive. */
        public Builder apiTimeout(Duration apiTimeout) {
            this.apiTimeout = apiTimeout;
            return this;
        }

        /** Sets the scheduler for the clock and timers. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "KafkaOptions.scheduler");
            return this;
        }

        /** Validates and builds. */
        public KafkaOptions build() {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("KafkaOptions.bootstrapServers is required, e.g. "
                        + "\"127.0.0.1:9092\"");
            }
            for (String server : bootstrapServers.split(",")) {
                int colon = server.trim().lastIndexOf(':');
                if (colon < 1 || !server.trim().substring(colon + 1).matches("\\d{1,5}")) {
                    throw new IllegalArgumentException("KafkaOptions.bootstrapServers must be host:port[,host:port...], "
                            + "was \"" + bootstrapServers + "\"");
                }
            }
            if (saslMechanism != null || saslUsername != null || saslPassword != null) {
                if (saslMechanism == null || !List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512").contains(saslMechanism)) {
                    throw new IllegalArgumentException("KafkaOptions.sasl mechanism must be PLAIN, SCRAM-SHA-256 or "
                            + "SCRAM-SHA-512, was " + saslMechanism);
                }
                if (saslUsername == null || saslUsername.isEmpty() || saslPassword == null) {
                    throw new IllegalArgumentException("KafkaOptions.sasl needs a user name and a password");
                }
            }
            if (consumerGroup == null || !consumerGroup.matches("[A-Za-z0-9._-]{1,100}")) {
                throw new IllegalArgumentException("KafkaOptions.consumerGroup must match [A-Za-z0-9._-]{1,100}, was "
                        + consumerGroup);
            }
            if (partitions < 1) {
                throw new IllegalArgumentException("KafkaOptions.partitions must be >= 1, was " + partitions);
            }
            if (prefetch < 1 || prefetch > 100_000) {
                throw new IllegalArgumentException("KafkaOptions.prefetch must be between 1 and 100000, was " + prefetch);
            }
            if (delayTiers.isEmpty()) {
                throw new IllegalArgumentException("KafkaOptions.delayTiers needs at least one tier");
            }
            for (Duration tier : delayTiers) {
                Objects.requireNonNull(tier, "KafkaOptions.delayTiers element");
                Durations.requireMillis(tier, "KafkaOptions.delayTiers");
            }
            if (delayTiers.stream().distinct().count() != delayTiers.size()) {
                throw new IllegalArgumentException("KafkaOptions.delayTiers must be distinct, were " + delayTiers);
            }
            Durations.requireMillis(Objects.requireNonNull(visibilityTimeout, "KafkaOptions.visibilityTimeout"),
                    "KafkaOptions.visibilityTimeout");
            Durations.requireMillis(Objects.requireNonNull(apiTimeout, "KafkaOptions.apiTimeout"),
                    "KafkaOptions.apiTimeout");
            return new KafkaOptions(this);
        }
    }
}
