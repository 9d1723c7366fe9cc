package io.rivulet.samples.service.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.rivulet.core.Broker;
import io.rivulet.core.BrokerOptions;
import io.rivulet.core.memory.MemoryBroker;
import io.rivulet.core.memory.MemoryOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Creates the service's {@link Broker} for the backend named by {@code rivulet.backend}
 * ({@code RIVULET_BACKEND}).
 *
 * <p>Each available backend is one entry of {@link #AVAILABLE}: wiring in a backend whose module has
 * landed is one line there (and its dependency in {@code samples/pom.xml}), for example
 * {@code "redis", (p, o) -> RedisBroker.create(RedisOptions.builder().host(p.redis().host())...build(), o)}.
 * A backend Rivulet knows of but this build does not offer yet, and any unknown name, stop the
 * application at startup with a message naming the option and the valid values.
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
        // Wire redis, kafka and rabbit in here as their modules land.
        return Map.copyOf(m);
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
                    + "', but the " + backend + " backend is not available in this build yet. Valid values: "
                    + valid + ".", available);
        }
        throw new UnavailableBackendException("rivulet.backend (RIVULET_BACKEND) is '" + backend
                + "', which is not a Rivulet backend. Valid values: " + valid + ".", available);
    }
}
