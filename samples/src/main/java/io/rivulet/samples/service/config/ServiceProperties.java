package io.rivulet.samples.service.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The worker service's configuration, bound from {@code rivulet.*} (defaults and the environment
 * variables they read are in {@code application.yml}). Immutable; every value is checked when the
 * application starts and a bad one stops it with a message naming the property.
 *
 * @param backend which broker to use: {@code memory}, {@code redis}, {@code kafka} or {@code rabbit}
 *                ({@code RIVULET_BACKEND})
 * @param brokerName the broker's name, the {@code broker} tag of its meters
 * @param redis where Redis is, for {@code backend=redis}
 * @param kafka where Kafka is, for {@code backend=kafka}
 * @param rabbit where RabbitMQ is, for {@code backend=rabbit}
 * @param admin the admin API's settings
 * @param worker how topics are consumed
 * @param demo the order demo's settings
 * @param readyTimeout how long {@code /ready} waits for the broker to answer
 */
@ConfigurationProperties("rivulet")
public record ServiceProperties(String backend, String brokerName, Redis redis, Kafka kafka, Rabbit rabbit,
                                Admin admin, Worker worker, Demo demo, Duration readyTimeout) {

    /** Checks every value. */
    public ServiceProperties {
        backend = require(backend, "rivulet.backend").trim().toLowerCase(Locale.ROOT);
        require(brokerName, "rivulet.broker-name");
        require(redis, "rivulet.redis");
        require(kafka, "rivulet.kafka");
        require(rabbit, "rivulet.rabbit");
        admin = admin == null ? new Admin(null) : admin;
        require(worker, "rivulet.worker");
        require(demo, "rivulet.demo");
        positive(readyTimeout, "rivulet.ready-timeout");
    }

    /**
     * Redis connection settings.
     *
     * @param host host name ({@code REDIS_HOST})
     * @param port port ({@code REDIS_PORT})
     * @param password the password ({@code REDIS_PASSWORD}); blank or absent means none; never logged
     * @param keyPrefix the prefix of every key the service's broker uses ({@code REDIS_KEY_PREFIX})
     */
    public record Redis(String host, int port, String password, String keyPrefix) {
        /** Checks the values. */
        public Redis {
            require(host, "rivulet.redis.host (REDIS_HOST)");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("rivulet.redis.port (REDIS_PORT) must be between 1 and 65535, was "
                        + port);
            }
            password = password == null || password.isEmpty() ? null : password;
            require(keyPrefix, "rivulet.redis.key-prefix (REDIS_KEY_PREFIX)");
        }

        @Override
        public String toString() {
            return "Redis[host=" + host + ", port=" + port + ", password=" + (password == null ? "<none>" : "<hidden>")
                    + ", keyPrefix=" + keyPrefix + "]";
        }
    }

    /**
     * Kafka connection settings.
     *
     * @param bootstrap bootstrap servers, {@code host:port[,host:port...]} ({@code KAFKA_BOOTSTRAP})
     */
    public record Kafka(String bootstrap) {
        /** Checks the values. */
        public Kafka {
            require(bootstrap, "rivulet.kafka.bootstrap (KAFKA_BOOTSTRAP)");
        }
    }

    /**
     * RabbitMQ connection settings.
     *
     * @param uri an {@code amqp://} or {@code amqps://} URI, credentials included ({@code RABBIT_URI})
     */
    public record Rabbit(String uri) {
        /** Checks the values. */
        public Rabbit {
            require(uri, "rivulet.rabbit.uri (RABBIT_URI)");
            if (!uri.startsWith("amqp://") && !uri.startsWith("amqps://")) {
                throw new IllegalArgumentException(
                        "rivulet.rabbit.uri (RABBIT_URI) must start with amqp:// or amqps://");
            }
        }

        @Override
        public String toString() {
            return "Rabbit[uri=<hidden: may carry credentials>]";
        }
    }

    /**
     * Admin API settings.
     *
     * @param token the bearer token that data-changing admin calls need ({@code ADMIN_TOKEN}); blank or
     *              absent means those calls are refused
     */
    public record Admin(String token) {
        /** Normalizes a blank token to none. */
        public Admin {
            token = token == null || token.isBlank() ? null : token.strip();
        }

        /** Whether a token is configured. */
        public boolean hasToken() {
            return token != null;
        }

        @Override
        public String toString() {
            return "Admin[token=" + (token == null ? "<none>" : "<hidden>") + "]";
        }
    }

    /**
     * How topics are consumed.
     *
     * @param topics the topics to consume; those without a handler of their own get the default
     *               handler, which logs them
     * @param concurrency handlers running at once per topic
     * @param concurrencyPerTopic overrides of {@code concurrency} by topic
     * @param prefetch unsettled deliveries per topic consumer
     * @param maxAttempts attempts a message gets before it is dead-lettered
     * @param initialBackoff the wait after the first failed attempt (doubling, ±20 % jitter)
     * @param handlerTimeout how long one handler attempt may run
     * @param stopTimeout how long a graceful stop lets in-flight work finish
     * @param maxRestartBackoff the longest wait before a consumer whose consuming failed (the broker
     *                          unreachable) subscribes again; the first wait is 1 s, doubling
     */
    public record Worker(List<String> topics, int concurrency, Map<String, Integer> concurrencyPerTopic,
                         int prefetch, int maxAttempts, Duration initialBackoff, Duration handlerTimeout,
                         Duration stopTimeout, Duration maxRestartBackoff) {
        /** Checks the values. */
        public Worker {
            topics = List.copyOf(require(topics, "rivulet.worker.topics"));
            atLeastOne(concurrency, "rivulet.worker.concurrency");
            concurrencyPerTopic = concurrencyPerTopic == null ? Map.of() : Map.copyOf(concurrencyPerTopic);
            concurrencyPerTopic.forEach((t, n) -> atLeastOne(n, "rivulet.worker.concurrency-per-topic[" + t + "]"));
            atLeastOne(prefetch, "rivulet.worker.prefetch");
            atLeastOne(maxAttempts, "rivulet.worker.max-attempts");
            positive(initialBackoff, "rivulet.worker.initial-backoff");
            positive(handlerTimeout, "rivulet.worker.handler-timeout");
            positive(stopTimeout, "rivulet.worker.stop-timeout");
            positive(maxRestartBackoff, "rivulet.worker.max-restart-backoff");
        }

        /** The concurrency of {@code topic}. */
        public int concurrencyOf(String topic) {
            return concurrencyPerTopic.getOrDefault(topic, concurrency);
        }
    }

    /**
     * The order demo's settings.
     *
     * @param paymentTimeout how long an order waits for payment before it is cancelled
     * @param stock the initial stock by SKU
     * @param failingSkus SKUs whose warehouse never answers: their orders fail, retry and end in the
     *                    dead letters (the poison-order demo)
     */
    public record Demo(Duration paymentTimeout, Map<String, Integer> stock, List<String> failingSkus) {
        /** Checks the values. */
        public Demo {
            positive(paymentTimeout, "rivulet.demo.payment-timeout");
            stock = Map.copyOf(require(stock, "rivulet.demo.stock"));
            stock.forEach((sku, n) -> {
                if (n < 0) {
                    throw new IllegalArgumentException("rivulet.demo.stock[" + sku + "] must be >= 0, was " + n);
                }
            });
            failingSkus = failingSkus == null ? List.of() : List.copyOf(failingSkus);
        }
    }

    private static <T> T require(T value, String property) {
        if (value == null || value instanceof String s && s.isBlank()) {
            throw new IllegalArgumentException(property + " must be set (see samples/src/main/resources/application.yml)");
        }
        return value;
    }

    private static void atLeastOne(int value, String property) {
        if (value < 1) {
            throw new IllegalArgumentException(property + " must be at least 1, was " + value);
        }
    }

    private static void positive(Duration value, String property) {
        Objects.requireNonNull(value, property + " must be set");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(property + " must be positive, was " + value);
        }
    }
}
