package io.rivulet.samples.service.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.rivulet.core.Broker;
import io.rivulet.core.BrokerOptions;
import io.rivulet.core.memory.MemoryBroker;
import io.rivulet.core.memory.MemoryOptions;
import io.rivulet.kafka.KafkaBroker;
import io.rivulet.kafka.KafkaOptions;
import io.rivulet.rabbit.RabbitBroker;
import io.rivulet.rabbit.RabbitOptions;
import io.rivulet.redis.RedisBroker;
import io.rivulet.redis.RedisOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Creates the service's {@link Broker} for the backend named by {@code rivulet.backend}
 * ({@code RIVULET_BACKEND}).
 *
 * <p>Each available backend is one entry of {@link #AVAILABLE}, built from its {@code rivulet.<backend>.*}
 * settings: {@code memory} (the default), {@code redis} ({@code REDIS_HOST}, {@code REDIS_PORT},
 * {@code REDIS_PASSWORD}), {@code kafka} ({@code KAFKA_BOOTSTRAP}) and {@code rabbit}
 * ({@code RABBIT_URI}). An unknown name stops the application at startup with a message naming the
 * option and the valid values; so does a setting the backend's options refuse (the message names the
 * property and its environment variable, never a password).
 *
 * <p>Redis and Kafka connect lazily: an unreachable server shows as {@code /ready} answering 503.
 * RabbitMQ connects in {@link #create}: an unreachable server stops the startup with the backend's
 * message naming the address.
 */
public final class BrokerFactory {

    /** Every backend name Rivulet knows of, available in this build or not. */
    public static final List<String> KNOWN = List.of("memory", "redis", "kafka", "rabbit");

    /** Creates a broker of one backend from the service's properties and the shared broker options. */
    @FunctionalInterface
    interface Provider {
        Broker create(ServiceProperties properties, BrokerOptions options);
    }

    private static final Map<String, Provider> AVAILABLE = available();

    private BrokerFactory() {
    }

    private static Map<String, Provider> available() {
        Map<String, Provider> m = new LinkedHashMap<>();
        m.put("memory", (p, o) -> MemoryBroker.create(MemoryOptions.defaults(), o));
        m.put("redis", (p, o) -> RedisBroker.create(redisOptions(p.redis()), o));
        m.put("kafka", (p, o) -> KafkaBroker.create(kafkaOptions(p.kafka()), o));
        m.put("rabbit", (p, o) -> RabbitBroker.create(rabbitOptions(p.rabbit()), o));
        return Map.copyOf(m);
    }

    /** The Redis options of {@code rivulet.redis.*}; a refused value names its property. */
    public static RedisOptions redisOptions(ServiceProperties.Redis redis) {
        return checked("rivulet.redis (REDIS_HOST, REDIS_PORT, REDIS_PASSWORD, REDIS_KEY_PREFIX)", () -> {
            RedisOptions.Builder b = RedisOptions.builder()
                    .host(redis.host())
                    .port(redis.port())
                    .keyPrefix(redis.keyPrefix());
            if (redis.password() != null) {
                b.password(redis.password());
            }
            return b.build();
        });
    }

    /** The Kafka options of {@code rivulet.kafka.*}; a refused value names its property. */
    public static KafkaOptions kafkaOptions(ServiceProperties.Kafka kafka) {
        return checked("rivulet.kafka.bootstrap (KAFKA_BOOTSTRAP)",
                () -> KafkaOptions.builder().bootstrapServers(kafka.bootstrap()).build());
    }

    /** The RabbitMQ options of {@code rivulet.rabbit.*}; a refused value names its property. */
    public static RabbitOptions rabbitOptions(ServiceProperties.Rabbit rabbit) {
        return checked("rivulet.rabbit.uri (RABBIT_URI)", () -> RabbitOptions.builder().uri(rabbit.uri()).build());
    }

    /**
     * Where the broker of {@code rivulet.backend} is, without credentials: {@code "in this process"} (memory),
     * {@code "at 127.0.0.1:6379"}, {@code "at amqp://127.0.0.1:5672/"}; for logs and {@code /ready}.
     */
    public static String address(ServiceProperties properties) {
        return switch (properties.backend()) {
            case "redis" -> "at " + properties.redis().host() + ":" + properties.redis().port();
            case "kafka" -> "at " + properties.kafka().bootstrap();
            case "rabbit" -> "at " + rabbitOptions(properties.rabbit()).address();
            default -> "in this process";
        };
    }

    /** Runs an options builder, prefixing a refusal with the service property (and env var) to fix. */
    private static <T> T checked(String property, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            // The options' own message, under the name the operator sets (the cause adds nothing).
            throw new IllegalArgumentException(property + ": " + e.getMessage());
        }
    }

    /** The backend names this build offers, in a stable order. */
    public static List<String> availableBackends() {
        return KNOWN.stream().filter(AVAILABLE::containsKey).toList();
    }

    /**
     * Creates the broker, named {@code rivulet.broker-name}, registering its meters on {@code registry}.
     *
     * @throws UnavailableBackendException if {@code rivulet.backend} is unknown or not available in this build
     */
    public static Broker create(ServiceProperties properties, MeterRegistry registry) {
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(registry, "registry");
        Provider provider = providerFor(properties.backend());
        BrokerOptions options = BrokerOptions.builder()
                .name(properties.brokerName())
                .meterRegistry(registry)
                .build();
        return provider.create(properties, options);
    }

    static Provider providerFor(String backend) {
        Provider provider = AVAILABLE.get(backend);
        if (provider != null) {
            return provider;
        }
        List<String> available = availableBackends();
        String valid = String.join(", ", available);
        if (KNOWN.contains(backend)) {
            throw new UnavailableBackendException("rivulet.backend (RIVULET_BACKEND) is '" + backend
                    + "', but the " + backend + " backend is not available in this build. Valid values: "
                    + valid + ".", available);
        }
        throw new UnavailableBackendException("rivulet.backend (RIVULET_BACKEND) is '" + backend
                + "', which is not a Rivulet backend. Valid values: " + valid + ".", available);
    }
}
