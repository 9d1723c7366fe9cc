package io.rivulet.kafka.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Shares one {@link KafkaTestBroker} among all tests of a JVM: started on first use, kept in
 * JUnit's root store, stopped when the root context closes (the end of the test run).
 * Use {@link #broker()} from tests annotated with {@code @ExtendWith(KafkaBrokerExtension.class)}.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback {

    private static volatile KafkaTestBroker shared;

    @Override
    public void beforeAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
        Holder holder = store.getOrComputeIfAbsent(Holder.class, k -> new Holder(KafkaTestBroker.start()),
                Holder.class);
        shared = holder.broker;
    }

    /** The shared broker; only valid in a test class extended with this extension. */
    public static KafkaTestBroker broker() {
        KafkaTestBroker b = shared;
        if (b == null) {
            throw new IllegalStateException("No shared Kafka broker: annotate the test class with "
                    + "@ExtendWith(KafkaBrokerExtension.class)");
        }
        return b;
    }

    private record Holder(KafkaTestBroker broker) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            broker.close();
        }
    }
}
