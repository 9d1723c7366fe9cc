package io.rivulet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rivulet.core.memory.MemoryBroker;
import io.rivulet.core.memory.MemoryOptions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class BrokerRegistryTest {

    private static final Duration PATIENCE = Duration.ofSeconds(5);

    private final BrokerRegistry registry = BrokerRegistry.create();

    @AfterEach
    void closeRegistry() {
        registry.close().block(PATIENCE);
    }

    private static Broker memory(String name) {
        return MemoryBroker.create(MemoryOptions.defaults(),
                BrokerOptions.builder().name(name).meterRegistry(new SimpleMeterRegistry()).build());
    }

    /** A payload type for the JSON path. */
    public record Job(String name) {
    }

    @Test
    void firstRegisteredBrokerIsTheDefaultUntilAnotherIsChosen() {
        Broker orders = memory("orders");
        Broker audit = memory("audit");
        registry.register("orders", orders).register("audit", audit);

        assertThat(registry.defaultBroker()).isSameAs(orders);
        assertThat(registry.defaultName()).isEqualTo("orders");
        registry.setDefault("audit");
        assertThat(registry.defaultBroker()).isSameAs(audit);
        assertThat(registry.broker("orders")).isSameAs(orders);
        assertThat(registry.names()).containsExactly("orders", "audit");
    }

    @Test
    void unknownNameIsAnErrorNamingTheKnownBrokers() {
        registry.register("orders", memory("orders")).register("audit", memory("audit"));

        assertThatThrownBy(() -> registry.broker("billing"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'billing'")
                .hasMessageContaining("[orders, audit]");
        assertThatThrownBy(() -> registry.setDefault("billing")).isInstanceOf(IllegalArgumentException.class);
        StepVerifier.create(registry.publishTo("billing", "order.paid", "x", Codecs.UTF8))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("[orders, audit]"))
                .verify(PATIENCE);
    }

    @Test
    void duplicateNameIsRefusedAndKeepsTheFirstBroker() {
        Broker first = memory("orders");
        Broker second = memory("orders-2");
        registry.register("orders", first);

        assertThatThrownBy(() -> registry.register("orders", second))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'orders' is already registered");
        assertThat(registry.broker("orders")).isSameAs(first);
        second.close().block(PATIENCE);
    }

    @Test
    void emptyRegistryHasNoDefault() {
        assertThat(registry.names()).isEmpty();
        assertThat(registry.defaultName()).isNull();
        assertThatThrownBy(registry::defaultBroker)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("register one first");
        assertThatThrownBy(() -> registry.register(" ", memory("x"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void publishedToANamedBrokerIsConsumedFromThatBroker() {
        Broker orders = memory("orders");
        Broker audit = memory("audit");
        registry.register("orders", orders).register("audit", audit);

        StepVerifier.create(registry.publishTo("audit", "audit.logged", new Job("j1"), Job.class))
                .assertNext(r -> assertThat(r.topic()).isEqualTo("audit.logged"))
                .verifyComplete();
        StepVerifier.create(registry.publishTo("audit", "audit.logged", Message.builder("raw").id("m-2").build(),
                        Codecs.UTF8))
                .assertNext(r -> assertThat(r.id()).isEqualTo("m-2"))
                .verifyComplete();

        StepVerifier.create(audit.queue("audit.logged", Job.class).consume().take(1)
                        .concatMap(d -> d.ack().thenReturn(d.message().payload())))
                .expectNext(new Job("j1"))
                .verifyComplete();
        StepVerifier.create(audit.queue("audit.logged", Codecs.UTF8).consume().take(1)
                        .concatMap(d -> d.ack().thenReturn(d.message().id())))
                .expectNext("m-2")
                .verifyComplete();
        StepVerifier.create(orders.admin().stats("audit.logged"))
                .assertNext(s -> assertThat(s.pending()).isZero())
                .verifyComplete();
    }

    @Test
    void closeClosesEveryBrokerAndTheRegistry() {
        Broker orders = memory("orders");
        Broker audit = memory("audit");
        registry.register("orders", orders).register("audit", audit);

        StepVerifier.create(registry.close()).verifyComplete();
        StepVerifier.create(registry.close()).verifyComplete();

        assertThat(orders.isClosed()).isTrue();
        assertThat(audit.isClosed()).isTrue();
        assertThat(registry.isClosed()).isTrue();
        assertThat(registry.names()).isEmpty();
        assertThatThrownBy(() -> registry.broker("orders")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> registry.register("late", memory("late"))).isInstanceOf(IllegalStateException.class);
    }

    /** A tiny UTF-8 string codec for the tests. */
    private static final class Codecs {
        static final Codec<String> UTF8 = new Codec<>() {
            @Override
            public byte[] encode(String payload) {
                return payload.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }

            @Override
            public String decode(byte[] bytes) {
                return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
            }
        };
    }
}
